using Apportionment.Api.Features.Activity;
using Apportionment.Api.Features.Agreements;
using Apportionment.Api.Features.ApiKeys;
using Apportionment.Api.Features.Billing;
using Apportionment.Api.Features.Budgets;
using Apportionment.Api.Features.Costs;
using Apportionment.Api.Features.Councils;
using Apportionment.Api.Features.Journals;
using Apportionment.Api.Features.Partnerships;
using Apportionment.Api.Features.Reports;
using Apportionment.Api.Features.Services;
using Apportionment.Api.Features.Webhooks;

namespace Apportionment.Api.Features;

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
            {"code":"BC-DEVON","name":"Devon Building Control Partnership","hostCouncil":"MDDC","members":["MDDC","NDC",
             "TDC"],
             "startMonth":"2024-04","description":"Building control for three district councils, hosted by Mid Devon."}
            """,
        [typeof(UpdateSharedService)] = """{"endMonth":"2027-03","members":["MDDC","NDC","TDC","EDDC"]}""",
        [typeof(ProposeAgreement)] = """
            {"effectiveFrom":"2024-04","method":"fixed",
             "shares":[{"council":"MDDC","percent":40.00},{"council":"NDC","percent":35.00},{"council":"TDC",
              "percent":25.00}]}
            """,
        [typeof(ApproveAgreement)] = """{"council":"NDC"}""",
        [typeof(PutActivity)] = """{"driver":"surveyor-hours","quantities":{"MDDC":412.5,"NDC":268.0,"TDC":190.25}}""",
        [typeof(PostCost)]
            = """{"month":"2024-05","amount":12500.00,"category":"staff","paidBy":"MDDC","reference":"INV-1043"}""",
        [typeof(IReadOnlyList<CostBatchLine>)] = """
            [{"service":"BC-DEVON","month":"2024-05","amount":12500.00,"category":"staff","paidBy":"MDDC",
             "reference":"INV-1043","description":"Surveyors' salaries"},
             {"service":"BC-DEVON","month":"2024-05","amount":-2150.00,"category":"fee income","paidBy":"NDC",
              "reference":"FEE-220"}]
            """,
        [typeof(ReverseCost)] = """{"reason":"Invoice INV-1043 was posted twice."}""",
        [typeof(PutBaseline)] = """{"annualCost":180000.00,"note":"2023-24 outturn, before the partnership."}""",
        [typeof(PutBudget)] = """{"budget":1350000.00,"profile":"flat"}""",
        [typeof(PutReductionTarget)] = """{"reductionPercent":10,"baseYear":"2024-25"}""",
        [typeof(CreateWebhook)] = """
            {"council":"NDC","url":"https://finance.northdevon.example/hooks/apportionment",
             "events":["agreement.proposed","period.closed"]}
            """,
        [typeof(PutIndicator)] = """
            {"name":"Applications decided within the statutory period","unit":"%","polarity":"higher-is-better",
             "frequency":"monthly","targets":{"2024-25":95,"2025-26":95},"baseline":88}
            """,
        [typeof(PutIndicatorValue)]
            = """{"council":"NDC","value":81.5,"note":"Q1 market share in North Devon's area."}""",
        [typeof(PutGovernance)] =
            """{"legalBasis":"Joint committee of the partner councils (Local Government Act 1972, ss. 101-102), """
            + """hosted by Devon County Council.", """
            + """
            "agreementStart":"2009-04-01","agreementEnd":null,"exitNoticeMonths":12,"nextReview":"2027-03-31",
            "savingsTarget":800000.00,"baselineYear":"2008-09"}
            """,
        [typeof(PutLedgerCodes)] = """
            {"effectiveFrom":"2025-04","controlAccount":{"account":"S8150"},"ledger":"MDDC",
             "services":[{"service":"BC-MDND","costCentre":"04410","account":"4620","recoveryAccount":"9430",
                          "fund":"GF","subjective":"BUILDING CONTROL",
                          "costAccounts":[{"account":"0110","category":"staff"},
                                          {"account":"4210","category":"software"}]},
                         {"service":"DAP","costCentre":"01620","account":"4620","fund":"GF"}]}
            """,
        [typeof(CreateApiKey)] = """
            {"name":"North Devon finance system","council":"NDC","scopes":["costs:write","statements:read"],
             "expiresOn":"2030-03-31"}
            """,
        [typeof(PutBillingTerms)] = """
            {"legalBasis":"goods-and-services-act","mode":"invoice","schedule":"quarterly","basis":"budget",
             "paymentTermsDays":30}
            """,
        [typeof(IssueInvoices)] = """{"period":"2025-26-Q1"}""",
        [typeof(RecordPayment)] = """{"amount":98049.97,"paidOn":"2025-10-24","reference":"NDC-BACS-004417"}""",
    };

    /// <summary>CSV request bodies, by operation: how the text/csv body is described, and an example of it.</summary>
    public static readonly IReadOnlyDictionary<string, (string Description, string Example)> CsvByOperation
        = new Dictionary<string, (string, string)>
        {
            ["PostCostBatch"] = (
            "RFC 4180 CSV (UTF-8): the header "
                + "service,month,amount,category,paidBy,reference,description, then one line per cost.",
            "service,month,amount,category,paidBy,reference,description\r\n"
                + "BC-DEVON,2024-05,12500.00,staff,MDDC,INV-1043,\"Surveyors, May\"\r\n"),
            ["PostGlExtract"] = (
            "RFC 4180 CSV (UTF-8) as the council's finance system writes it: the header "
                + "costCentre,account,month,amount,description,reference, "
                + "then one line per ledger entry; codes are text (leading zeros kept).",
            "costCentre,account,month,amount,description,reference\r\n04410,0110,2025-06,15230.17,\"Surveyors' "
                + "salaries, June\",GL-88412\r\n04410,4210,2025-06,1187.40,Workflow software,GL-88413\r\n"),
        };

    /// <summary>
    /// Further named examples where one body type serves distinct uses; the one above is listed first as "default".
    /// </summary>
    public static readonly IReadOnlyDictionary<Type, IReadOnlyList<(string Name, string Summary, string Json)>>
        MoreByType = new Dictionary<Type, IReadOnlyList<(string, string, string)>>
        {
            [typeof(ProposeAgreement)] =
            [
                (
                    "support-by-admin-hours",
                    "A support agreement: the shared admin team recharged by admin hours to the services it supports "
                        + "and to each council's corporate core",
                    """
                    {"effectiveFrom":"2025-04","method":"driver","driver":"admin-hours","councils":["SHDC","WDBC"],
                     "supports":[{"service":"SHWD-PLANNING"},{"service":"SHWD-IT"},{"service":"SHWD-DIGITAL"}]}
                    """),
                (
                    "support-fixed",
                    "A support agreement with fixed percentages: digital support recharged to admin (which supports it "
                        + "back), IT and planning",
                    """
                    {"effectiveFrom":"2025-04","method":"fixed",
                     "supports":[{"service":"SHWD-ADMIN","percent":20},{"service":"SHWD-IT","percent":30},
                      {"service":"SHWD-PLANNING","percent":50}]}
                    """),
            ],
            [typeof(PutBillingTerms)] =
            [
                (
                    "joint-committee",
                    "The Devon Audit Partnership: a s101 joint committee, outside the scope of VAT by default",
                    """
                    {"legalBasis":"s101-joint-committee","mode":"invoice","schedule":"quarterly","basis":"budget",
                     "paymentTermsDays":30}
                    """),
                (
                    "estimate-with-tolerance",
                    "An estimated split reviewed at the year end with South Hams and West Devon's 3% tolerance",
                    """
                    {"legalBasis":"contract","vatTreatment":"outside-scope","mode":"invoice","schedule":"quarterly",
                     "basis":"estimate","estimate":[{"council":"SHDC","percent":60},{"council":"WDBC","percent":40}],
                     "paymentTermsDays":30,"tolerancePercent":3}
                    """),
            ],
            [typeof(PutActivity)] =
            [
                (
                    "support-driver",
                    "Admin hours for a month, per service supported and per council's corporate core",
                    """
                    {"driver":"admin-hours","quantities":{"SHWD-PLANNING":633.3,"SHWD-IT":176.3,"SHWD-DIGITAL":227.4,
                     "SHDC":73.6,"WDBC":42.6}}
                    """),
            ],
        };
}
