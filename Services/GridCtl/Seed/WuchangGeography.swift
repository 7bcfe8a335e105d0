/// The reference geography of Wuchang district used by `gridctl seed demo`: 14 streets, 140 communities and 1 village.
///
/// Pure data; no I/O. Community names follow real Wuchang naming where known and
/// plausible Wuhan-style names elsewhere. Codes are stable ASCII pinyin slugs,
/// unique district-wide.
public struct StreetSeed: Sendable {
    /// Stable ASCII code, pinyin slug, e.g. "shuiguohu".
    public let code: String
    /// Chinese name including 街道, e.g. "水果湖街道".
    public let name: String
    /// English name, e.g. "Shuiguohu Street".
    public let nameEn: String
    public let communities: [CommunitySeed]

    public init(code: String, name: String, nameEn: String, communities: [CommunitySeed]) {
        self.code = code
        self.name = name
        self.nameEn = nameEn
        self.communities = communities
    }
}

public struct CommunitySeed: Sendable {
    /// Stable ASCII code unique district-wide, pinyin slug, e.g. "dongting".
    public let code: String
    /// Chinese name, e.g. "东亭社区" or "...村".
    public let name: String
    /// English name, e.g. "Dongting Community".
    public let nameEn: String
    public let isVillage: Bool

    public init(code: String, name: String, nameEn: String, isVillage: Bool = false) {
        self.code = code
        self.name = name
        self.nameEn = nameEn
        self.isVillage = isVillage
    }
}

public enum WuchangGeography {
    public static let streets: [StreetSeed] = [
        StreetSeed(
            code: "jiyuqiao", name: "积玉桥街道", nameEn: "Jiyuqiao Street",
            communities: [
                CommunitySeed(code: "jiyuqiao", name: "积玉桥社区", nameEn: "Jiyuqiao Community", isVillage: false),
                CommunitySeed(code: "heping", name: "和平社区", nameEn: "Heping Community", isVillage: false),
                CommunitySeed(code: "linjiang", name: "临江社区", nameEn: "Linjiang Community", isVillage: false),
                CommunitySeed(code: "xinhejie", name: "新河街社区", nameEn: "Xinhejie Community", isVillage: false),
                CommunitySeed(code: "binjiangyuan", name: "滨江苑社区", nameEn: "Binjiangyuan Community", isVillage: false),
                CommunitySeed(code: "sancenglou", name: "三层楼社区", nameEn: "Sancenglou Community", isVillage: false),
                CommunitySeed(code: "shuianxingcheng", name: "水岸星城社区", nameEn: "Shuian Xingcheng Community", isVillage: false),
                CommunitySeed(code: "jinxiuchangjiang", name: "锦绣长江社区", nameEn: "Jinxiu Changjiang Community", isVillage: false),
                CommunitySeed(code: "zijin", name: "紫金社区", nameEn: "Zijin Community", isVillage: false),
                CommunitySeed(code: "wanda", name: "万达社区", nameEn: "Wanda Community", isVillage: false),
            ]),
        StreetSeed(
            code: "yangyuan", name: "杨园街道", nameEn: "Yangyuan Street",
            communities: [
                CommunitySeed(code: "yangyuan", name: "杨园社区", nameEn: "Yangyuan Community", isVillage: false),
                CommunitySeed(code: "tiejilu", name: "铁机路社区", nameEn: "Tiejilu Community", isVillage: false),
                CommunitySeed(code: "yujiatou", name: "余家头社区", nameEn: "Yujiatou Community", isVillage: false),
                CommunitySeed(code: "simeitang", name: "四美塘社区", nameEn: "Simeitang Community", isVillage: false),
                CommunitySeed(code: "tiesiyuan", name: "铁四院社区", nameEn: "Tiesiyuan Community", isVillage: false),
                CommunitySeed(code: "cheliangchang", name: "车辆厂社区", nameEn: "Cheliangchang Community", isVillage: false),
                CommunitySeed(code: "hexie", name: "和谐社区", nameEn: "Hexie Community", isVillage: false),
                CommunitySeed(code: "zidu", name: "紫都社区", nameEn: "Zidu Community", isVillage: false),
                CommunitySeed(code: "fenghuang", name: "凤凰社区", nameEn: "Fenghuang Community", isVillage: false),
                CommunitySeed(code: "xinsheng", name: "新生社区", nameEn: "Xinsheng Community", isVillage: false),
            ]),
        StreetSeed(
            code: "xujiapeng", name: "徐家棚街道", nameEn: "Xujiapeng Street",
            communities: [
                CommunitySeed(code: "xujiapeng", name: "徐家棚社区", nameEn: "Xujiapeng Community", isVillage: false),
                CommunitySeed(code: "xudong", name: "徐东社区", nameEn: "Xudong Community", isVillage: false),
                CommunitySeed(code: "wuche", name: "武车社区", nameEn: "Wuche Community", isVillage: false),
                CommunitySeed(code: "sanjiaolu", name: "三角路社区", nameEn: "Sanjiaolu Community", isVillage: false),
                CommunitySeed(code: "tuanjie", name: "团结社区", nameEn: "Tuanjie Community", isVillage: false),
                CommunitySeed(code: "qinyuanlu", name: "秦园路社区", nameEn: "Qinyuanlu Community", isVillage: false),
                CommunitySeed(code: "lijiang", name: "丽江社区", nameEn: "Lijiang Community", isVillage: false),
                CommunitySeed(code: "shahu", name: "沙湖社区", nameEn: "Shahu Community", isVillage: false),
                CommunitySeed(code: "caihua", name: "才华社区", nameEn: "Caihua Community", isVillage: false),
                CommunitySeed(code: "dongsha", name: "东沙社区", nameEn: "Dongsha Community", isVillage: false),
            ]),
        StreetSeed(
            code: "liangdao", name: "粮道街道", nameEn: "Liangdao Street",
            communities: [
                CommunitySeed(code: "liangdaojie", name: "粮道街社区", nameEn: "Liangdaojie Community", isVillage: false),
                CommunitySeed(code: "tanhualin", name: "昙华林社区", nameEn: "Tanhualin Community", isVillage: false),
                CommunitySeed(code: "houbujie", name: "候补街社区", nameEn: "Houbujie Community", isVillage: false),
                CommunitySeed(code: "yanzhilu", name: "胭脂路社区", nameEn: "Yanzhilu Community", isVillage: false),
                CommunitySeed(code: "deshengqiao", name: "得胜桥社区", nameEn: "Deshengqiao Community", isVillage: false),
                CommunitySeed(code: "sandaojie", name: "三道街社区", nameEn: "Sandaojie Community", isVillage: false),
                CommunitySeed(code: "gejiaying", name: "戈甲营社区", nameEn: "Gejiaying Community", isVillage: false),
                CommunitySeed(code: "zhongshanlu", name: "中山路社区", nameEn: "Zhongshanlu Community", isVillage: false),
                CommunitySeed(code: "huayuanshan", name: "花园山社区", nameEn: "Huayuanshan Community", isVillage: false),
                CommunitySeed(code: "pangxiejia", name: "螃蟹甲社区", nameEn: "Pangxiejia Community", isVillage: false),
            ]),
        StreetSeed(
            code: "zhonghualu", name: "中华路街道", nameEn: "Zhonghualu Street",
            communities: [
                CommunitySeed(code: "zhonghualu", name: "中华路社区", nameEn: "Zhonghualu Community", isVillage: false),
                CommunitySeed(code: "simenkou", name: "司门口社区", nameEn: "Simenkou Community", isVillage: false),
                CommunitySeed(code: "xichenghao", name: "西城壕社区", nameEn: "Xichenghao Community", isVillage: false),
                CommunitySeed(code: "jiefanglu", name: "解放路社区", nameEn: "Jiefanglu Community", isVillage: false),
                CommunitySeed(code: "minzhulu", name: "民主路社区", nameEn: "Minzhulu Community", isVillage: false),
                CommunitySeed(code: "dachenglu", name: "大成路社区", nameEn: "Dachenglu Community", isVillage: false),
                CommunitySeed(code: "hanyangmen", name: "汉阳门社区", nameEn: "Hanyangmen Community", isVillage: false),
                CommunitySeed(code: "pinghumen", name: "平湖门社区", nameEn: "Pinghumen Community", isVillage: false),
                CommunitySeed(code: "wenchangmen", name: "文昌门社区", nameEn: "Wenchangmen Community", isVillage: false),
                CommunitySeed(code: "doujiying", name: "斗级营社区", nameEn: "Doujiying Community", isVillage: false),
            ]),
        StreetSeed(
            code: "huanghelou", name: "黄鹤楼街道", nameEn: "Huanghelou Street",
            communities: [
                CommunitySeed(code: "huanghelou", name: "黄鹤楼社区", nameEn: "Huanghelou Community", isVillage: false),
                CommunitySeed(code: "hubuxiang", name: "户部巷社区", nameEn: "Hubuxiang Community", isVillage: false),
                CommunitySeed(code: "qiyimen", name: "起义门社区", nameEn: "Qiyimen Community", isVillage: false),
                CommunitySeed(code: "fuxinglu", name: "复兴路社区", nameEn: "Fuxinglu Community", isVillage: false),
                CommunitySeed(code: "bailujie", name: "白鹭街社区", nameEn: "Bailujie Community", isVillage: false),
                CommunitySeed(code: "binyangmen", name: "宾阳门社区", nameEn: "Binyangmen Community", isVillage: false),
                CommunitySeed(code: "wangshanmen", name: "望山门社区", nameEn: "Wangshanmen Community", isVillage: false),
                CommunitySeed(code: "baoanmen", name: "保安门社区", nameEn: "Baoanmen Community", isVillage: false),
                CommunitySeed(code: "changhudi", name: "长湖地社区", nameEn: "Changhudi Community", isVillage: false),
                CommunitySeed(code: "xiaodongmen", name: "小东门社区", nameEn: "Xiaodongmen Community", isVillage: false),
            ]),
        StreetSeed(
            code: "ziyang", name: "紫阳街道", nameEn: "Ziyang Street",
            communities: [
                CommunitySeed(code: "ziyang", name: "紫阳社区", nameEn: "Ziyang Community", isVillage: false),
                CommunitySeed(code: "dadongmen", name: "大东门社区", nameEn: "Dadongmen Community", isVillage: false),
                CommunitySeed(code: "zhangzhidonglu", name: "张之洞路社区", nameEn: "Zhangzhidonglu Community", isVillage: false),
                CommunitySeed(code: "ziyanghu", name: "紫阳湖社区", nameEn: "Ziyanghu Community", isVillage: false),
                CommunitySeed(code: "ruixiang", name: "瑞祥社区", nameEn: "Ruixiang Community", isVillage: false),
                CommunitySeed(code: "hongtai", name: "宏泰社区", nameEn: "Hongtai Community", isVillage: false),
                CommunitySeed(code: "shouyiyuan", name: "首义园社区", nameEn: "Shouyiyuan Community", isVillage: false),
                CommunitySeed(code: "pengliuyanglu", name: "彭刘杨路社区", nameEn: "Pengliuyanglu Community", isVillage: false),
                CommunitySeed(code: "wenhua", name: "文华社区", nameEn: "Wenhua Community", isVillage: false),
                CommunitySeed(code: "wuchangfu", name: "武昌府社区", nameEn: "Wuchangfu Community", isVillage: false),
            ]),
        StreetSeed(
            code: "baishazhou", name: "白沙洲街道", nameEn: "Baishazhou Street",
            communities: [
                CommunitySeed(code: "baishazhou", name: "白沙洲社区", nameEn: "Baishazhou Community", isVillage: false),
                CommunitySeed(code: "zhangjiawan", name: "张家湾社区", nameEn: "Zhangjiawan Community", isVillage: false),
                CommunitySeed(code: "wutaizha", name: "武泰闸社区", nameEn: "Wutaizha Community", isVillage: false),
                CommunitySeed(code: "dadikou", name: "大堤口社区", nameEn: "Dadikou Community", isVillage: false),
                CommunitySeed(code: "nianyutao", name: "鲇鱼套社区", nameEn: "Nianyutao Community", isVillage: false),
                CommunitySeed(code: "xunsihe", name: "巡司河社区", nameEn: "Xunsihe Community", isVillage: false),
                CommunitySeed(code: "dinggongmiao", name: "丁公庙社区", nameEn: "Dinggongmiao Community", isVillage: false),
                CommunitySeed(code: "yangguang", name: "阳光社区", nameEn: "Yangguang Community", isVillage: false),
                CommunitySeed(code: "baoli", name: "保利社区", nameEn: "Baoli Community", isVillage: false),
                CommunitySeed(code: "tianxiang", name: "天祥社区", nameEn: "Tianxiang Community", isVillage: false),
                CommunitySeed(code: "fenghuo", name: "烽火村", nameEn: "Fenghuo Village", isVillage: true),
            ]),
        StreetSeed(
            code: "shouyilu", name: "首义路街道", nameEn: "Shouyilu Street",
            communities: [
                CommunitySeed(code: "shouyilu", name: "首义路社区", nameEn: "Shouyilu Community", isVillage: false),
                CommunitySeed(code: "yuemachang", name: "阅马场社区", nameEn: "Yuemachang Community", isVillage: false),
                CommunitySeed(code: "dufudi", name: "都府堤社区", nameEn: "Dufudi Community", isVillage: false),
                CommunitySeed(code: "chucai", name: "楚材社区", nameEn: "Chucai Community", isVillage: false),
                CommunitySeed(code: "hongxiang", name: "红巷社区", nameEn: "Hongxiang Community", isVillage: false),
                CommunitySeed(code: "sheshan", name: "蛇山社区", nameEn: "Sheshan Community", isVillage: false),
                CommunitySeed(code: "shuangbai", name: "双柏社区", nameEn: "Shuangbai Community", isVillage: false),
                CommunitySeed(code: "ziwei", name: "紫薇社区", nameEn: "Ziwei Community", isVillage: false),
                CommunitySeed(code: "zhonghe", name: "中和社区", nameEn: "Zhonghe Community", isVillage: false),
                CommunitySeed(code: "qipanjie", name: "棋盘街社区", nameEn: "Qipanjie Community", isVillage: false),
            ]),
        StreetSeed(
            code: "zhongnanlu", name: "中南路街道", nameEn: "Zhongnanlu Street",
            communities: [
                CommunitySeed(code: "zhongnanlu", name: "中南路社区", nameEn: "Zhongnanlu Community", isVillage: false),
                CommunitySeed(code: "wuluolu", name: "武珞路社区", nameEn: "Wuluolu Community", isVillage: false),
                CommunitySeed(code: "dingziqiao", name: "丁字桥社区", nameEn: "Dingziqiao Community", isVillage: false),
                CommunitySeed(code: "baotongsi", name: "宝通寺社区", nameEn: "Baotongsi Community", isVillage: false),
                CommunitySeed(code: "fujiapo", name: "傅家坡社区", nameEn: "Fujiapo Community", isVillage: false),
                CommunitySeed(code: "zhongnanyilu", name: "中南一路社区", nameEn: "Zhongnan Yilu Community", isVillage: false),
                CommunitySeed(code: "zhongnanerlu", name: "中南二路社区", nameEn: "Zhongnan Erlu Community", isVillage: false),
                CommunitySeed(code: "hongshanlu", name: "洪山路社区", nameEn: "Hongshanlu Community", isVillage: false),
                CommunitySeed(code: "yaojialing", name: "姚家岭社区", nameEn: "Yaojialing Community", isVillage: false),
                CommunitySeed(code: "shipailing", name: "石牌岭社区", nameEn: "Shipailing Community", isVillage: false),
            ]),
        StreetSeed(
            code: "shuiguohu", name: "水果湖街道", nameEn: "Shuiguohu Street",
            communities: [
                CommunitySeed(code: "dongting", name: "东亭社区", nameEn: "Dongting Community", isVillage: false),
                CommunitySeed(code: "shuiguohu", name: "水果湖社区", nameEn: "Shuiguohu Community", isVillage: false),
                CommunitySeed(code: "fangyingtai", name: "放鹰台社区", nameEn: "Fangyingtai Community", isVillage: false),
                CommunitySeed(code: "chagang", name: "茶港社区", nameEn: "Chagang Community", isVillage: false),
                CommunitySeed(code: "cuiliu", name: "翠柳社区", nameEn: "Cuiliu Community", isVillage: false),
                CommunitySeed(code: "zhongbeilu", name: "中北路社区", nameEn: "Zhongbeilu Community", isVillage: false),
                CommunitySeed(code: "donghulu", name: "东湖路社区", nameEn: "Donghulu Community", isVillage: false),
                CommunitySeed(code: "shuanghuqiao", name: "双湖桥社区", nameEn: "Shuanghuqiao Community", isVillage: false),
                CommunitySeed(code: "meiyuan", name: "梅苑社区", nameEn: "Meiyuan Community", isVillage: false),
                CommunitySeed(code: "huguang", name: "湖光社区", nameEn: "Huguang Community", isVillage: false),
            ]),
        StreetSeed(
            code: "luojiashan", name: "珞珈山街道", nameEn: "Luojiashan Street",
            communities: [
                CommunitySeed(code: "luojiashan", name: "珞珈山社区", nameEn: "Luojiashan Community", isVillage: false),
                CommunitySeed(code: "donghu", name: "东湖社区", nameEn: "Donghu Community", isVillage: false),
                CommunitySeed(code: "bayilu", name: "八一路社区", nameEn: "Bayilu Community", isVillage: false),
                CommunitySeed(code: "xiaohongshan", name: "小洪山社区", nameEn: "Xiaohongshan Community", isVillage: false),
                CommunitySeed(code: "lingbomen", name: "凌波门社区", nameEn: "Lingbomen Community", isVillage: false),
                CommunitySeed(code: "fengyuan", name: "枫园社区", nameEn: "Fengyuan Community", isVillage: false),
                CommunitySeed(code: "guiyuan", name: "桂园社区", nameEn: "Guiyuan Community", isVillage: false),
                CommunitySeed(code: "yingyuan", name: "樱园社区", nameEn: "Yingyuan Community", isVillage: false),
                CommunitySeed(code: "hubin", name: "湖滨社区", nameEn: "Hubin Community", isVillage: false),
                CommunitySeed(code: "tingtao", name: "听涛社区", nameEn: "Tingtao Community", isVillage: false),
            ]),
        StreetSeed(
            code: "shidong", name: "石洞街道", nameEn: "Shidong Street",
            communities: [
                CommunitySeed(code: "shidong", name: "石洞社区", nameEn: "Shidong Community", isVillage: false),
                CommunitySeed(code: "changchun", name: "长春社区", nameEn: "Changchun Community", isVillage: false),
                CommunitySeed(code: "dongfang", name: "东方社区", nameEn: "Dongfang Community", isVillage: false),
                CommunitySeed(code: "zhonghuan", name: "中环社区", nameEn: "Zhonghuan Community", isVillage: false),
                CommunitySeed(code: "chuhe", name: "楚河社区", nameEn: "Chuhe Community", isVillage: false),
                CommunitySeed(code: "cuihu", name: "翠湖社区", nameEn: "Cuihu Community", isVillage: false),
                CommunitySeed(code: "lihua", name: "丽华社区", nameEn: "Lihua Community", isVillage: false),
                CommunitySeed(code: "mingzhu", name: "明珠社区", nameEn: "Mingzhu Community", isVillage: false),
                CommunitySeed(code: "jinyuan", name: "金园社区", nameEn: "Jinyuan Community", isVillage: false),
                CommunitySeed(code: "huacheng", name: "华城社区", nameEn: "Huacheng Community", isVillage: false),
            ]),
        StreetSeed(
            code: "nanhu", name: "南湖街道", nameEn: "Nanhu Street",
            communities: [
                CommunitySeed(code: "nanhuhuayuan", name: "南湖花园社区", nameEn: "Nanhu Huayuan Community", isVillage: false),
                CommunitySeed(code: "baoan", name: "宝安社区", nameEn: "Baoan Community", isVillage: false),
                CommunitySeed(code: "zhongyanghuayuan", name: "中央花园社区", nameEn: "Zhongyang Huayuan Community", isVillage: false),
                CommunitySeed(code: "nanhushanzhuang", name: "南湖山庄社区", nameEn: "Nanhu Shanzhuang Community", isVillage: false),
                CommunitySeed(code: "lidao", name: "丽岛社区", nameEn: "Lidao Community", isVillage: false),
                CommunitySeed(code: "bairuijing", name: "百瑞景社区", nameEn: "Bairuijing Community", isVillage: false),
                CommunitySeed(code: "anshun", name: "安顺社区", nameEn: "Anshun Community", isVillage: false),
                CommunitySeed(code: "huajin", name: "华锦社区", nameEn: "Huajin Community", isVillage: false),
                CommunitySeed(code: "pingan", name: "平安社区", nameEn: "Pingan Community", isVillage: false),
                CommunitySeed(code: "songtao", name: "松涛社区", nameEn: "Songtao Community", isVillage: false),
            ]),
    ]
}
