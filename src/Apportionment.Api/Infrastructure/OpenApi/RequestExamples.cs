using Apportionment.Api.Features.Activity;
using Apportionment.Api.Features.Agreements;
using Apportionment.Api.Features.ApiKeys;
using Apportionment.Api.Features.Budgets;
using Apportionment.Api.Features.Costs;
using Apportionment.Api.Features.Councils;
using Apportionment.Api.Features.Reports;
using Apportionment.Api.Features.Services;

namespace Apportionment.Api.Infrastructure.OpenApi;

/// <summary>
/// One realistic body per request type: a building control partnership hosted by Mid Devon (MDDC) for North Devon
/// (NDC) and Torridge (TDC). The contract tests fail if a request body type has no example here.
/// </summary>
public static class RequestExamples
{
    public static readonly IReadOnlyDictionary<Type, string> ByType = new Dictionary<Type, string>
    {
        [typeof(CreateCouncil)] = """{"code":"MDDC","name":"Mid Devon District Council"}""",
        [typeof(CreateSharedService)] = """
            {"code":"BC-DEVON","name":"Devon Building Control Partnership","hostCouncil":"MDDC","members":["MDDC","NDC","TDC"],
             "startMonth":"2024-04","description":"Building control for three district councils, hosted by Mid Devon."}
            """,
        [typeof(UpdateSharedService)] = """{"endMonth":"2027-03","members":["MDDC","NDC","TDC","EDDC"]}""",
        [typeof(ProposeAgreement)] = """
            {"effectiveFrom":"2024-04","method":"fixed",
             "shares":[{"council":"MDDC","percent":40.00},{"council":"NDC","percent":35.00},{"council":"TDC","percent":25.00}]}
            """,
        [typeof(ApproveAgreement)] = """{"council":"NDC"}""",
        [typeof(PutActivity)] = """{"driver":"surveyor-hours","quantities":{"MDDC":412.5,"NDC":268.0,"TDC":190.25}}""",
        [typeof(PostCost)] = """{"month":"2024-05","amount":12500.00,"category":"staff","paidBy":"MDDC","reference":"INV-1043"}""",
        [typeof(IReadOnlyList<CostBatchLine>)] = """
            [{"service":"BC-DEVON","month":"2024-05","amount":12500.00,"category":"staff","paidBy":"MDDC","reference":"INV-1043","description":"Surveyors' salaries"},
             {"service":"BC-DEVON","month":"2024-05","amount":-2150.00,"category":"fee income","paidBy":"NDC","reference":"FEE-220"}]
            """,
        [typeof(ReverseCost)] = """{"reason":"Invoice INV-1043 was posted twice."}""",
        [typeof(PutBaseline)] = """{"annualCost":180000.00,"note":"2023-24 outturn, before the partnership."}""",
        [typeof(PutBudget)] = """{"budget":1350000.00,"profile":"flat"}""",
        [typeof(PutReductionTarget)] = """{"reductionPercent":10,"baseYear":"2024-25"}""",
        [typeof(CreateApiKey)] = """{"name":"North Devon finance system","council":"NDC","scopes":["costs:write","statements:read"],"expiresOn":"2026-03-31"}""",
    };
}
