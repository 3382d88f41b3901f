namespace Apportionment.Api.Infrastructure.Security;

/// <summary>What a key may do. Each name is also the authorization policy that guards the endpoints.</summary>
public static class Scopes
{
    public const string CostsWrite = "costs:write";
    public const string StatementsRead = "statements:read";
    public const string AgreementsApprove = "agreements:approve";
    public const string BudgetsWrite = "budgets:write";
    public const string WebhooksManage = "webhooks:manage";
    public const string LedgerWrite = "ledger:write";
    public const string BillingWrite = "billing:write";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All
        = [CostsWrite, StatementsRead, AgreementsApprove, BudgetsWrite, WebhooksManage, LedgerWrite, BillingWrite,
        Admin];
}

public static class ApiKeyClaims
{
    public const string KeyId = "apportionment:key_id";
    public const string KeyName = "apportionment:key_name";
    public const string Council = "apportionment:council";
    public const string Scope = "scope";
}
