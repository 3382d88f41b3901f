using Apportionment.Api.Tests.Infrastructure;
using Apportionment.Client.Models;

namespace Apportionment.Client.Tests;

/// <summary>
/// The core workflow as an integrator would write it, only through the generated client: councils and a shared
/// service, a split agreement proposed and approved by every council, costs posted, a recharge statement pulled.
/// </summary>
public sealed class CoreWorkflowTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Councils_agree_a_split_post_costs_and_get_statements_that_balance_to_the_penny()
    {
        var admin = GeneratedClient.Admin(factory);
        foreach (var (code, name) in new[] {
            ("MDDC", "Mid Devon District Council"),
            ("NDC", "North Devon Council"),
            ("TDC", "Torridge District Council") })
        {
            var council = await admin.Api.V1.Councils.PostAsync(new CreateCouncil { Code = code, Name = name });
            Assert.Equal(code, council!.Code);
        }

        var service = await admin.Api.V1.SharedServices.PostAsync(new CreateSharedService
        {
            Code = "BC-DEVON",
            Name = "Devon Building Control Partnership",
            HostCouncil = "MDDC",
            Members = ["MDDC", "NDC", "TDC"],
            StartMonth = "2024-04",
        });
        Assert.Equal(["MDDC", "NDC", "TDC"], service!.Members);

        var mddc = await CouncilClientAsync(admin, "MDDC");
        var ndc = await CouncilClientAsync(admin, "NDC");
        var tdc = await CouncilClientAsync(admin, "TDC");

        var proposed = await mddc.Api.V1.SharedServices["BC-DEVON"].Agreements.PostAsync(new ProposeAgreement
        {
            EffectiveFrom = "2024-04",
            Method = "fixed",
            Shares = [new ShareDto { Council = "MDDC", Percent = 50m }, new ShareDto {
                Council = "NDC",
                Percent = 30m }, new ShareDto { Council = "TDC", Percent = 20m }],
        });
        Assert.Equal("proposed", proposed!.Status);

        AgreementDto? agreement = null;
        foreach (var (client, council) in new[] { (mddc, "MDDC"), (ndc, "NDC"), (tdc, "TDC") })
        {
            agreement = await client.Api.V1.SharedServices["BC-DEVON"].Agreements[proposed.Id!.Value].Approvals
                .PostAsync(new ApproveAgreement { Council = council });
        }

        Assert.Equal("agreed", agreement!.Status);
        Assert.Empty(agreement.AwaitingApproval!);

        var costs = mddc.Api.V1.SharedServices["BC-DEVON"].Costs;
        await costs.PostAsync(
            new PostCost { Month = "2024-05", Amount = 10000.00m, Category = "staff", Reference = "PAY-2024-05" });
        await costs.PostAsync(
            new PostCost { Month = "2024-05", Amount = 1000.01m, Category = "software", Reference = "INV-1043" });
        // North Devon paid one invoice itself; posted twice with one Idempotency-Key, it is recorded once.
        var direct = new PostCost
        {
            Month = "2024-05",
            Amount = 999.99m,
            Category = "travel",
            PaidBy = "NDC",
            Reference = "NDC-77"
        };
        var first = await ndc.Api.V1.SharedServices["BC-DEVON"].Costs
            .PostAsync(direct, c => c.Headers.Add("Idempotency-Key", "ndc-77"));
        var retry = await ndc.Api.V1.SharedServices["BC-DEVON"].Costs
            .PostAsync(direct, c => c.Headers.Add("Idempotency-Key", "ndc-77"));
        Assert.Equal(first!.Id, retry!.Id);

        // Net cost 12,000.00: MDDC 50% = 6,000.00, NDC 30% = 3,600.00, TDC 20% = 2,400.00.
        var statements = new Dictionary<string, RechargeStatementDto>();
        foreach (var (client, council) in new[] { (mddc, "MDDC"), (ndc, "NDC"), (tdc, "TDC") })
        {
            statements[council] = (await client.Api.V1.Councils[council].RechargeStatements["2024-05"].GetAsync())!;
        }

        AssertLine(statements["MDDC"], share: 6000.00m, paid: 11000.01m, balance: -5000.01m);
        AssertLine(statements["NDC"], share: 3600.00m, paid: 999.99m, balance: 2600.01m);
        AssertLine(statements["TDC"], share: 2400.00m, paid: 0.00m, balance: 2400.00m);
        Assert.Equal(0m, statements.Values.Sum(s => s.Totals!.Balance!.Value));

        var quarter = await ndc.Api.V1.SharedServices["BC-DEVON"].Apportionments["2024-25-Q1"].GetAsync();
        Assert.Equal(12000.00m, quarter!.NetCost);
        Assert.Equal(12000.00m, quarter.Allocations!.Sum(a => a.Amount!.Value));
    }

    [Fact]
    public async Task Problems_arrive_as_typed_exceptions_from_the_contract()
    {
        var admin = GeneratedClient.Admin(factory);
        var invalid = await Assert.ThrowsAsync<HttpValidationProblemDetails>(() =>
            admin.Api.V1.Councils.PostAsync(new CreateCouncil { Code = "not a code", Name = "Nowhere" }));
        Assert.Equal(400, invalid.Status);
        Assert.True(invalid.Errors!.AdditionalData.ContainsKey("code"));

        var missing = await Assert.ThrowsAsync<ProblemDetails>(() => admin.Api.V1.Councils["NOPE"].GetAsync());
        Assert.Equal(404, missing.Status);
        Assert.Equal("https://apportionment.example/problems/not-found", missing.Type);

        var anonymous = GeneratedClient.For(factory.CreateClient());
        var unauthenticated = await Assert.ThrowsAsync<ProblemDetails>(() => anonymous.Api.V1.Version.GetAsync());
        Assert.Equal(401, unauthenticated.Status);
    }

    private static void AssertLine(RechargeStatementDto statement, decimal share, decimal paid, decimal balance)
    {
        var line = Assert.Single(statement.Lines!);
        Assert.Equal(("BC-DEVON", share, paid, balance), (line.Service, line.Share, line.PaidDirectly, line.Balance));
        Assert.Equal(
            (share, paid, balance),
            (statement.Totals!.Share, statement.Totals.PaidDirectly, statement.Totals.Balance));
    }

    private async Task<ApportionmentClient> CouncilClientAsync(ApportionmentClient admin, string council)
    {
        var key = await admin.Api.V1.ApiKeys.PostAsync(new CreateApiKey
        {
            Name = $"{council} finance system",
            Council = council,
            Scopes = ["costs:write", "statements:read", "agreements:approve"],
        });
        return GeneratedClient.WithKey(factory, key!.Key!);
    }
}
