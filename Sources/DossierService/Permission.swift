public import DossierCore

/// What an action needs the acting user's role to allow.
public enum Permission: Sendable, Hashable {
    /// Users, organisations and quotas (the establishment office's work).
    case manageEstablishment
    case manageUsers
    /// File, hire and exit people.
    case writePeople
    /// Read individual records.
    case readPeople
    /// See full identity and phone numbers.
    case revealIdentity
    /// Headcounts and other aggregates.
    case readAggregates
    /// Read and verify the audit log.
    case readAudit
    /// Draft personnel actions (maker).
    case draftActions
    /// Apply an exit or a rehire at once, without a second person (administrators only; everyone
    /// else drafts it for approval).
    case applyDirectly
    /// Approve or reject personnel actions drafted by someone else (checker).
    case approveActions
    /// Have the node check an archive or transfer package sent to it (officers receiving files,
    /// inspectors): it takes a file of up to gigabytes onto the node's disk.
    case verifyPackages
    /// Read reconciliation cases, their evidence included (statisticians see counts only,
    /// through `readAggregates`).
    case readCases
    /// Run the reconciliation and decide its cases.
    case resolveCases
    /// Check the node as a whole and repair what the check may repair, back it up and restore
    /// it (administrators only).
    case operateNode
    /// Change a person's identity number, with a reason (administrators only): the number is the
    /// key of the whole file, so no officer changes it.
    case changeIdentityNumbers

    /// Whether `role` grants this permission. Organisation scoping comes with the lifecycle work.
    public func isGranted(to role: Role) -> Bool {
        switch (self, role) {
        case (_, .admin): return true
        case (.writePeople, .officer): return true
        // Inspectors see archives and the audit log, statisticians aggregates: neither reads
        // individual records.
        case (.readPeople, .officer), (.readPeople, .approver), (.readPeople, .viewer):
            return true
        case (.revealIdentity, .officer): return true
        case (.readAggregates, _): return true
        case (.readAudit, .inspector): return true
        case (.draftActions, .officer): return true
        case (.approveActions, .approver): return true
        case (.verifyPackages, .officer), (.verifyPackages, .inspector): return true
        case (.readCases, .officer), (.readCases, .approver), (.readCases, .viewer), (.readCases, .inspector):
            return true
        case (.resolveCases, .officer): return true
        default: return false
        }
    }

    /// What the permission allows, in Chinese, to follow 无权 in a refusal.
    var chinesePhrase: String {
        switch self {
        case .manageEstablishment: return "更改机构或编制"
        case .manageUsers: return "管理用户"
        case .writePeople: return "更改人事记录"
        case .readPeople: return "查阅人事记录"
        case .revealIdentity: return "查看完整的公民身份号码"
        case .readAggregates: return "查阅编制人数"
        case .readAudit: return "查阅审计日志"
        case .draftActions: return "起草人事行为"
        case .applyDirectly: return "不经审批直接记录离职或再录用（请用“dossier action draft”起草）"
        case .approveActions: return "审批或退回人事行为"
        case .verifyPackages: return "由本节点校验数据包"
        case .readCases: return "查阅比对案件"
        case .resolveCases: return "运行比对或处理比对案件"
        case .changeIdentityNumbers: return "更改公民身份号码"
        case .operateNode: return "检查、备份或恢复本节点"
        }
    }

    var phrase: String {
        switch self {
        case .manageEstablishment: return "change organisations or quotas"
        case .manageUsers: return "manage users"
        case .writePeople: return "change personnel records"
        case .readPeople: return "read personnel records"
        case .revealIdentity: return "see full identity numbers"
        case .readAggregates: return "read headcounts"
        case .readAudit: return "read the audit log"
        case .draftActions: return "draft personnel actions"
        case .applyDirectly: return "record exits or rehires without approval (draft them with 'dossier action draft')"
        case .approveActions: return "approve or reject personnel actions"
        case .verifyPackages: return "have packages checked by the node"
        case .readCases: return "read reconciliation cases"
        case .resolveCases: return "run the reconciliation or decide its cases"
        case .changeIdentityNumbers: return "change identity numbers"
        case .operateNode: return "check, back up or restore the node"
        }
    }
}
