/**
 * Sample content of the demo manual, written from the public facts in shared/domain/facts.md.
 * It is sample data (the UI says so); the richer card, flowchart and risk-table blocks come
 * with the content-blocks work.
 */
export type DemoSection = {
	title: string;
	basis: string[];
	limit: string;
	subject: string;
	content: string;
	flow: string[];
	risks: { point: string; form: string; level: '高' | '中' | '低'; measure: string }[];
};

export type DemoUnit = { name: string; key: string; sections: DemoSection[] };

export const DEMO_MANUAL = { title: '国家铁路局行政许可廉政风险防控手册', edition: '2014年版' };

export const DEMO_UNITS: DemoUnit[] = [
	{
		name: '科技与法制司',
		key: 'kefa',
		sections: [
			{
				title: '行政许可申请统一受理',
				subject: '科技与法制司（行政许可受理窗口）',
				basis: ['《中华人民共和国行政许可法》第二十六条、第三十二条', '国铁科法〔2014〕49号'],
				limit: '当场或5个工作日内作出受理决定；材料不齐全的，5个工作日内一次告知补正内容',
				content: '国家铁路局行政许可实行一个窗口统一受理，由科技与法制司负责接收申请材料、出具受理或不予受理凭证，并将受理案卷转交主办司局审查。',
				flow: ['接收申请材料', '形式审查', '补正告知（5个工作日内）', '受理或不予受理', '案卷移交主办司局'],
				risks: [
					{ point: '受理', form: '对不符合条件的申请违规受理，或对符合条件的申请无故不予受理、拖延受理', level: '中', measure: '公开受理条件和材料清单；受理凭证由系统生成并编号，不予受理须书面说明理由' },
					{ point: '补正告知', form: '不一次性告知补正内容，多次要求补正以谋取利益', level: '中', measure: '使用统一补正告知书，一次性列明全部补正事项，留存告知记录' },
					{ point: '案卷移交', form: '延迟移交或选择性移交案卷', level: '低', measure: '移交时限纳入电子监察，逾期自动提醒' }
				]
			}
		]
	},
	{
		name: '运输监督管理司',
		key: 'yunshu',
		sections: [
			{
				title: '铁路机车车辆驾驶人员资格许可',
				subject: '国家铁路局（运输监督管理司承办）',
				basis: ['《铁路机车车辆驾驶人员资格许可办法》（交通运输部令2019年第43号）', '《铁路机车车辆驾驶人员资格许可实施细则》（2020年）'],
				limit: '考试合格后20个工作日内作出许可决定',
				content: '对申请驾驶铁路机车车辆的人员，经理论考试和实际操作技能考试合格的，按照J1—J9、L1—L3准驾类型核发驾驶证。',
				flow: ['受理申请', '资格审查', '组织理论考试', '组织实作考试', '作出许可决定（20个工作日）', '制证送达'],
				risks: [
					{ point: '资格审查', form: '对不符合体检、培训条件的申请人放宽审查', level: '中', measure: '审查要点清单化，两人审核并签字' },
					{ point: '考试', form: '泄露试题、考试舞弊或考官打人情分', level: '高', measure: '题库随机组卷；考官随机抽取并回避；考试全程录像' },
					{ point: '决定', form: '对考试不合格人员核发驾驶证', level: '高', measure: '成绩与发证数据自动比对，异常由司领导复核' }
				]
			},
			{
				title: '铁路运输企业准入许可',
				subject: '国家铁路局（运输监督管理司承办）',
				basis: ['《铁路运输企业准入许可办法》（交通运输部令2014年第19号，2015年1月1日起施行）'],
				limit: '自受理之日起20个工作日内作出决定',
				content: '对从事铁路旅客、货物公共运输营业的企业实施准入许可，审查其组织机构、运输安全管理、专业技术人员和设施设备等条件。',
				flow: ['受理', '补正告知（5个工作日内）', '材料审查', '现场核查', '作出许可决定（20个工作日）', '送达'],
				risks: [
					{ point: '材料审查', form: '降低安全管理条件审查标准，为关系企业“开绿灯”', level: '高', measure: '执行统一审查标准，审查意见须逐条对应条件并留痕' },
					{ point: '现场核查', form: '接受企业宴请、礼品，核查走过场', level: '高', measure: '核查组两人以上，签署廉洁承诺；核查记录当场签字确认' },
					{ point: '决定', form: '超越职权或违反程序作出许可', level: '中', measure: '许可决定经法制审核和集体研究' },
					{ point: '送达', form: '故意拖延送达许可文书', level: '低', measure: '送达时限纳入电子监察，逾期亮黄牌' }
				]
			},
			{
				title: '设置或者拓宽铁路道口、人行过道审批',
				subject: '国家铁路局（运输监督管理司承办）',
				basis: ['《铁路道口管理暂行规定》等', '铁道部令第20号（2005年）'],
				limit: '自受理之日起30日内作出决定',
				content: '对在铁路线路上设置或者拓宽铁路道口、人行过道的申请进行审批，审查安全防护设施和管理责任落实情况。',
				flow: ['受理', '审查安全条件', '征求意见', '作出审批决定（30日内）', '送达'],
				risks: [
					{ point: '审查', form: '对安全防护条件不足的申请予以通过', level: '中', measure: '审查标准公开，安全条件逐项核对' },
					{ point: '决定', form: '拖延审批以谋取利益', level: '中', measure: '办理时限电子监察，超期说明理由' },
					{ point: '征求意见', form: '选择性征求意见，回避不利意见', level: '低', measure: '征求意见对象按规定范围确定并留存记录' }
				]
			}
		]
	},
	{
		name: '设备监督管理司',
		key: 'shebei',
		sections: [
			{
				title: '铁路机车车辆设计、制造、维修、进口许可',
				subject: '国家铁路局（设备监督管理司承办）',
				basis: ['《铁路机车车辆设计制造维修进口许可办法》（交通运输部令2013年第13号，2019年修正）'],
				limit: '型号合格证长期有效；制造许可证、进口许可证有效期5年；维修许可证有效期5年、8年或10年；有效期届满前60个工作日申请延续',
				content: '对铁路机车车辆的设计、制造、维修和进口实施许可，核发型号合格证、制造许可证、维修许可证和进口许可证。',
				flow: ['受理', '补正告知（5个工作日内）', '技术审查', '检验检测', '专家评审', '作出许可决定（20个工作日）', '制证送达'],
				risks: [
					{ point: '技术审查', form: '降低技术标准或对关键条件审查不严', level: '高', measure: '技术审查要点标准化，审查结论集体把关' },
					{ point: '专家评审', form: '选择有利害关系的专家，或向申请人泄露评审信息', level: '高', measure: '专家库随机抽取并执行回避；评审信息保密承诺' },
					{ point: '检验检测', form: '指定检验机构或干预检验结论', level: '中', measure: '检验机构由申请人在公布名录中自主选择' },
					{ point: '决定', form: '故意拖延作出决定，索取好处', level: '中', measure: '决定时限电子监察，超时自动预警' },
					{ point: '延续审查', form: '对有效期届满前未按时申请延续的企业违规延续', level: '低', measure: '证照有效期台账化管理，到期前系统提示' }
				]
			},
			{
				title: '铁路运输基础设备生产企业审批',
				subject: '国家铁路局（设备监督管理司承办）',
				basis: ['《铁路运输基础设备生产企业审批办法》（交通运输部令2013年第21号，2021年修正）', '国铁设备监〔2014〕14号（道岔类产品）'],
				limit: '材料不齐全的5个工作日内一次告知；自受理之日起20个工作日内作出决定（检验检测和专家评审时间不计入）；许可证有效期5年',
				content: '对道岔及转辙设备、铁路信号安全软件和控制设备、铁路通信设备、牵引供电设备等生产企业实施审批。',
				flow: ['受理', '补正告知（5个工作日内）', '审查', '专家评审/检验检测', '作出决定（20个工作日）', '制证送达'],
				risks: [
					{ point: '受理', form: '为关系企业受理不全材料，或对合格申请拒不受理', level: '中', measure: '一个窗口受理，材料清单公开，不予受理须说明理由' },
					{ point: '审查', form: '降低生产条件和质量保证能力审查标准', level: '高', measure: '审查标准统一，审查人员定期轮岗' },
					{ point: '专家评审', form: '干预专家评审意见或泄露评审结果', level: '高', measure: '评审意见独立出具并签名，评审过程记录存档' },
					{ point: '送达', form: '拖延送达许可证件', level: '低', measure: '送达节点纳入电子监察' }
				]
			}
		]
	}
];

const text = (t: string) => ({ type: 'text', text: t });
const para = (t: string) => ({ type: 'paragraph', content: [text(t)] });
const heading = (level: number, t: string) => ({ type: 'heading', attrs: { level }, content: [text(t)] });
const bullet = (items: string[]) => ({
	type: 'bulletList',
	content: items.map((i) => ({ type: 'listItem', content: [para(i)] }))
});
const ordered = (items: string[]) => ({
	type: 'orderedList',
	attrs: { start: 1 },
	content: items.map((i) => ({ type: 'listItem', content: [para(i)] }))
});
const labelled = (label: string, value: string) => ({
	type: 'paragraph',
	content: [{ type: 'text', text: `${label}：`, marks: [{ type: 'bold' }] }, text(value)]
});

/** The section as ProseMirror JSON of the editor schema. */
export function demoSectionJSON(s: DemoSection) {
	return {
		type: 'doc',
		content: [
			heading(2, '一、职权目录'),
			labelled('职权名称', s.title),
			labelled('行使主体', s.subject),
			labelled('职权内容', s.content),
			labelled('办理时限', s.limit),
			{ type: 'paragraph', content: [{ type: 'text', text: '法律依据：', marks: [{ type: 'bold' }] }] },
			bullet(s.basis),
			heading(2, '二、权力运行流程'),
			ordered(s.flow),
			heading(2, '三、廉政风险点及防控措施'),
			...s.risks.flatMap((r, i) => [
				heading(3, `（${'一二三四五六七八九十'[i]}）${r.point}环节（风险等级：${r.level}）`),
				labelled('风险表现形式', r.form),
				labelled('防控措施', r.measure)
			]),
			{
				type: 'blockquote',
				content: [para('按照“谁的风险谁防，谁是领导谁控”的原则，风险岗位人员负责排查和防范，主管领导负责风险管控。')]
			}
		]
	};
}
