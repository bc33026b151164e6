import Foundation

/// The words over the columns of a table on the terminal, in the language the user chose with
/// `$DOSSIER_LANG` (`zh` for Chinese; English otherwise). CSV and JSON keep their own headers and
/// keys, which scripts rely on. One glossary for every listing, so a word means the same in
/// each; a listing whose column means something else under the same English word (an
/// organisation's name, not a person's) gives its own Chinese headers.
enum TableWords {
    /// Whether tables speak Chinese: `DOSSIER_LANG=zh` (or zh_CN, zh-CN, …).
    static var chinese: Bool {
        guard let language = ProcessInfo.processInfo.environment["DOSSIER_LANG"] else { return false }
        return language.lowercased().hasPrefix("zh")
    }

    /// The Chinese word for an English header; the header itself when there is none (a table's
    /// own columns, which are Chinese already).
    static func chinese(_ header: String) -> String { glossary[header] ?? header }

    static let glossary: [String: String] = [
        "id": "档案号", "name": "姓名", "id_number": "公民身份号码", "org": "单位代码", "org_name": "单位名称",
        "category": "编制类型", "rank": "职级", "post": "领导职务", "status": "人员状态", "since": "起始日期",
        "action": "人事行为", "effective": "生效日期", "kind": "类别", "by": "经办人", "note": "说明",
        "draft": "草稿号", "person": "档案号", "details": "内容", "state": "状态", "now": "现状",
        "would change": "批准后变化", "seq": "序号", "at": "时间", "actor": "操作人", "subject": "对象",
        "quota": "编制/职数", "approved": "核定", "occupied": "实有", "vacant": "空编", "over": "超编",
        "code": "代码", "level": "级别", "parent": "上级单位", "under": "隶属", "from": "起始日期", "until": "截止日期",
        "recorded by": "经办人", "case": "案件号", "check": "核查项", "opened": "立案日期", "due": "办结期限",
        "doc": "材料号", "class": "档案类别", "title": "题名", "date": "日期", "pages": "页数", "format": "格式",
        "bytes": "字节", "sha256": "SHA-256", "grade no.": "考核号", "year": "年度", "grade": "等次",
        "decided on": "确定日期", "reason": "理由", "excellent": "优秀", "graded": "参加考核", "in post": "在职",
        "sanction no.": "处分号", "lifted on": "解除日期", "reference": "文号", "document": "材料号",
        "next rank": "拟晋职级", "eligible": "符合条件", "first rule not met": "未满足的首项条件",
        "key id": "密钥标识", "agency": "机关代码", "algorithm": "算法", "certificate": "证书", "expires": "有效期至",
        "label": "用途", "created": "创建时间", "role": "角色", "display name": "显示名", "file": "文件",
        "source": "来源", "versions": "版本", "number": "表号", "to": "接收机关", "slip": "转递单号",
        "exported on": "导出日期", "days waiting": "等待天数", "overdue": "超期", "old": "原号码", "new": "新号码",
    ]
}
