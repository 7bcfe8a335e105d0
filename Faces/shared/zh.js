// The words the staff use, and Beijing time: one place for every page.

export const roleNames = {
  grid_worker: '网格员', community_staff: '社区工作人员', street_officer: '街道干部', agency_head: '五长（部门负责人）',
  caseworker: '社区矫正工作人员', command_centre: '区指挥调度中心', discipline_inspector: '纪检监察员', election_officer: '换届选举工作人员',
  auditor: '审计员', service: '服务账户', admin: '系统管理员',
};

export const findingStates = {
  submitted: '已上报', triaged: '已分拣', dispatched: '已派遣', in_progress: '处置中', resolved: '已处置', verified: '已核查',
  closed: '已结案', rejected: '已驳回', merged: '已合并', reopened: '已重办',
};

const dateTime = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai', year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});
const date = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'long', day: 'numeric' });

/** 2026年11月22日 20:05, in Beijing time. */
export function formatDateTime(iso) { return iso ? dateTime.format(new Date(iso)) : '—'; }
export function formatDate(iso) { return iso ? date.format(new Date(iso)) : '—'; }

export const meetingStates = { scheduled: '待召开', in_progress: '进行中', closed: '已结束', cancelled: '已取消' };

export const agendaKinds = {
  hotspot: '热点', overdue_finding: '超期问题', reentry_alerts: '帮教预警', overdue_action_item: '逾期督办事项',
  overdue_rectification: '逾期整改', member_item: '成员议题',
};

export const outcomeKinds = { information: '通报事项', decision: '会议决定', action_item: '督办事项' };

export const actionItemStates = { open: '办理中', reopened: '重新办理', done: '已办结待核', verified: '已核销' };

export const rectificationStates = { issued: '待整改', responded: '已回复待核', verified: '已核销' };

/** 2026年12月8日, from a calendar date (YYYY-MM-DD) as the API writes it. */
export function formatDay(day) {
  if (!day) return '—';
  const [y, m, d] = day.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

export const reentry = {
  kinds: { community_correction: '社区矫正', post_release: '刑满释放' },
  levels: { strict: '严管', standard: '普管', lenient: '宽管' },
  contactTypes: { face_to_face: '当面谈话', home_visit: '入户走访', phone: '电话联系' },
  methods: { in_person: '当面', video: '视频', phone: '电话', via_family: '经家属' },
  locations: { residence: '住所', office: '司法所', workplace: '工作单位', other: '其他地点', remote: '远程' },
  outcomes: { completed: '已完成', not_home: '不在家', refused: '拒绝', unreachable: '联系不上' },
  obligationStates: { open: '待完成', met: '已完成', late: '逾期后补上', overdue: '已逾期', superseded: '已被替代' },
  alerts: { contact_overdue: '联系逾期', contact_escalated: '逾期已上报', reassessment_due: '需重新评估等级' },
  rules: { first: '首次', periodic: '定期' },
};
