using Microsoft.EntityFrameworkCore;

namespace Apportionment.Api.Tests.Billing;

public sealed class YearEndTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _admin = factory.Admin();

    private static readonly string[] Quarters = ["2025-26-Q1", "2025-26-Q2", "2025-26-Q3", "2025-26-Q4"];

    /// <summary>
    /// A year of costs paid by the host, a little over the £120,000 budget, and the four quarters billed on account.
    /// </summary>
    private async Task<(string Service, string[] Councils)> BilledYearAsync(object terms)
    {
        var (service, councils) = await _admin.BilledServiceAsync(
            120_000m,
            terms,
            ("H", 40m),
            ("A", 20m),
            ("B", 20m),
            ("C", 20m));
        for (var m = 0; m < 12; m++)
        {
            await _admin.PostCostAsync(
                service,
                new DateOnly(2025, 4, 1).AddMonths(m).ToString("yyyy-MM"),
                10_000m + (m * 137.33m) + 0.01m,
                councils[0]);
        }

        foreach (var quarter in Quarters)
        {
            await _admin.IssueAsync(service, quarter);
        }

        return (service, councils);
    }

    private static void AssertIdentity(JsonElement yearEnd)
    {
        foreach (var c in yearEnd.GetProperty("councils").EnumerateArray())
        {
            Assert.Equal(
                c.Money("yearEndShare"),
                c.Money("invoicedOnAccount") + c.Money("finalCharge") + c.Money("paidDirectly"));
        }
    }

    [Fact]
    public async Task The_year_end_is_issued_once_and_only_when_every_month_is_closed()
    {
        var (service, councils) = await BilledYearAsync(BillingSteps.Terms("contract"));
        var before = await _admin.YearEndAsync(service, "2025-26");
        Assert.Equal(12, before.GetProperty("openMonths").GetArrayLength());
        var early = await _admin.PostAsync($"/api/v1/shared-services/{service}/year-end/2025-26", null);
        await early.ProblemAsync(HttpStatusCode.Conflict);

        await _admin.CloseThroughAsync(service, "2026-03");
        var issued = await (await _admin.PostAsync($"/api/v1/shared-services/{service}/year-end/2025-26", null))
            .JsonAsync(HttpStatusCode.Created);
        var again = await _admin.PostAsync($"/api/v1/shared-services/{service}/year-end/2025-26", null);
        await again.ProblemAsync(HttpStatusCode.Conflict);

        Assert.True(issued.GetProperty("issued").GetBoolean());
        var apportionment = await _admin.ApportionmentAsync(service, "2025-26");
        var actual = apportionment.GetProperty("allocations").EnumerateArray()
            .ToDictionary(a => a.Text("council"), a => a.Money("amount"));
        AssertIdentity(issued);
        var invoices = (await _admin.GetJsonAsync($"/api/v1/shared-services/{service}/invoices?period=2025-26"))
            .Items();
        foreach (var c in issued.GetProperty("councils").EnumerateArray())
        {
            // No tolerance: the year-end share is the actual share, so on account + final charge = actual share.
            Assert.Equal("actual", c.Text("rule"));
            Assert.Equal(actual[c.Text("council")], c.Money("yearEndShare"));
            Assert.Equal(24_000m, c.Money("invoicedOnAccount"));
            var final = invoices.Single(i => i.Text("council") == c.Text("council"));
            Assert.Equal(c.Text("invoice"), final.Text("number"));
            Assert.Equal(c.Money("finalCharge"), final.Money("net"));
            Assert.Equal(c.Money("finalVat"), final.Money("vat"));
            Assert.Equal(
                Math.Round(c.Money("finalCharge") * 0.2m, 2, MidpointRounding.AwayFromZero),
                c.Money("finalVat"));
        }

        Assert.Equal(3, invoices.Count);
        Assert.DoesNotContain(issued.GetProperty("councils").EnumerateArray(), c => c.Text("council") == councils[0]);
        Assert.Equal(1, await factory.WithDb(
            db => db.WebhookEvents.CountAsync(e => e.Type == "year-end.issued" && e.ServiceCode == service)));
    }

    [Fact]
    public async Task Only_councils_beyond_the_tolerance_move_to_their_actual_share()
    {
        var (service, codes) = await BilledYearAsync(BillingSteps.Terms());
        await _admin.PutTermsAsync(
            service,
            BillingSteps.Terms(basis: "estimate", tolerancePercent: 3m, estimate: Estimate(codes)));

        var yearEnd = await _admin.YearEndAsync(service, "2025-26");
        var byCouncil = yearEnd.Councils();
        AssertIdentity(yearEnd);
        var (a, b, c) = (byCouncil[codes[1]], byCouncil[codes[2]], byCouncil[codes[3]]);
        // Estimates 22/14/24 against actual 20/20/20: B (6 points) and C (4) are beyond 3, A (2) within.
        Assert.Equal("actual-outside-tolerance", b.Text("rule"));
        Assert.Equal("actual-outside-tolerance", c.Text("rule"));
        Assert.Equal(b.Money("actualShare"), b.Money("yearEndShare"));
        Assert.Equal(c.Money("actualShare"), c.Money("yearEndShare"));
        Assert.Equal("estimate-within-tolerance", a.Text("rule"));
        var rest = yearEnd.Money("netCost") - b.Money("actualShare") - c.Money("actualShare");
        Assert.True(Math.Abs(a.Money("yearEndShare") - (rest * 22m / 62m)) < 0.01m, $"{a}");
        Assert.NotEqual(a.Money("actualShare"), a.Money("yearEndShare"));
    }

    [Fact]
    public async Task Within_the_tolerance_every_council_keeps_its_estimated_split()
    {
        var (service, codes) = await BilledYearAsync(BillingSteps.Terms());
        await _admin.PutTermsAsync(
            service,
            BillingSteps.Terms(basis: "estimate", tolerancePercent: 10m, estimate: Estimate(codes)));

        var yearEnd = await _admin.YearEndAsync(service, "2025-26");
        AssertIdentity(yearEnd);
        var a = yearEnd.Councils()[codes[1]];
        Assert.All(
            yearEnd.GetProperty("councils").EnumerateArray(),
            c => Assert.Equal("estimate-within-tolerance", c.Text("rule")));
        Assert.True(Math.Abs(a.Money("yearEndShare") - (yearEnd.Money("netCost") * 0.22m)) < 0.01m, $"{a}");
    }

    [Fact]
    public async Task A_partner_sees_only_its_own_year_end_line()
    {
        var (service, codes) = await BilledYearAsync(BillingSteps.Terms());
        var partner = await factory.CouncilClient(codes[2], "statements:read");

        var yearEnd = await partner.YearEndAsync(service, "2025-26");
        Assert.Equal([codes[2]], yearEnd.GetProperty("councils").EnumerateArray().Select(c => c.Text("council")));
        await (await partner.GetAsync($"/api/v1/shared-services/{service}/year-end/2025-2")).ProblemAsync(
            HttpStatusCode.BadRequest,
            "financialYear");
    }

    private static EstimateShare[] Estimate(string[] codes) =>
        [new(codes[0], 40m), new(codes[1], 22m), new(codes[2], 14m), new(codes[3], 24m)];

    private sealed record EstimateShare(string Council, decimal Percent);
}
