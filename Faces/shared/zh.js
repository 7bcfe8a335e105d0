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
