using Apportionment.Api.Infrastructure.Security;
using static Apportionment.Api.Tests.Infrastructure.ApiSteps;
using static Apportionment.Api.Tests.Journals.JournalSteps;

namespace Apportionment.Api.Tests.Journals;

/// <summary>
/// Ledger codes, journals and GL extracts of small partnerships built for each test, through HTTP on PostgreSQL.
/// </summary>
public sealed class JournalTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    /// <summary>
    /// A host and a partner sharing a service 50/50 from April 2025, the host paying 1,000.00 a month, the year closed.
    /// </summary>
    private async Task<(string Host, string Partner, string Service)> ClosedYearAsync()
    {
        var admin = factory.Admin();
        var councils = await admin.NewCouncilsAsync("JH", "JP");
        var service = await admin.ServiceWithFixedSplitAsync("JS", "2025-04", (councils[0], 50m), (councils[1], 50m));
        foreach (var month in Apportionment.Domain.Period.Parse("2025-26").Months)
        {
            await admin.PostCostAsync(service, month.ToString(), 1000.00m, paidBy: councils[0]);
        }

        await admin.CloseThroughAsync(service, "2026-03");
        return (councils[0], councils[1], service);
    }

    [Fact]
    public async Task
        Codes_changed_from_october_give_the_old_codes_before_and_the_new_ones_after_and_are_kept_as_versions()
    {
        var (_, partner, service) = await ClosedYearAsync();
        var key = await factory.CouncilClient(partner, Scopes.LedgerWrite, Scopes.StatementsRead);
        var first = await (await key.PutAsJsonAsync(
            $"/api/v1/councils/{partner}/ledger-codes",
            Codes("2025-04", "S100", Service(service, "0100", "4000")))).JsonAsync(HttpStatusCode.OK);
        var again = await (await key.PutAsJsonAsync(
            $"/api/v1/councils/{partner}/ledger-codes",
            Codes("2025-04", "S100", Service(service, "0100", "4000")))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal((1, first.Text("setAt")), (again.GetProperty("version").GetInt32(), again.Text("setAt")));
        await (await key.PutAsJsonAsync(
            $"/api/v1/councils/{partner}/ledger-codes",
            Codes("2025-10", "S100", Service(service, "0200", "4000")))).JsonAsync(HttpStatusCode.OK);

        var journal = await key.JsonJournalAsync(partner, "2025-26");
        Assert.Equal(12, journal.Vouchers().Count());
        foreach (var voucher in journal.Vouchers())
        {
            var expected = string.CompareOrdinal(voucher.Text("month"), "2025-10") < 0 ? "0100" : "0200";
            Assert.All(voucher.Lines(), l => Assert.Equal(expected, l.Text("costCentre")));
            Assert.Equal(
                (500.00m, 0.00m),
                (voucher.Lines().First().Money("debit"), voucher.Lines().First().Money("credit")));
        }

        var versions = await key.GetJsonAsync($"/api/v1/councils/{partner}/ledger-codes");
        Assert.Equal(
            ["2025-04", "2025-10"],
            versions.GetProperty("versions").EnumerateArray().Select(v => v.Text("effectiveFrom")));
        var audit = await factory.Admin().GetJsonAsync($"/api/v1/audit?entity=ledger-codes&council={partner}");
        Assert.Equal(
            [$"{partner}/2025-04/v1", $"{partner}/2025-10/v1"],
            audit.Items().Select(e => e.Text("entityId")).Distinct().Order());
    }

    [Fact]
    public async Task A_service_without_codes_is_refused_naming_it_and_unit4_needs_a_fund()
    {
        var (host, _, service) = await ClosedYearAsync();
        var admin = factory.Admin();
        var problem = await (await admin.GetAsync($"/api/v1/councils/{host}/journals/2025-26")).ProblemAsync(
            HttpStatusCode.UnprocessableEntity);
        Assert.EndsWith("/unmapped-services", problem.Text("type"));
        Assert.Equal([service], problem.GetProperty("services").EnumerateArray().Select(s => s.GetString()));

        await (await admin.PutAsJsonAsync(
            $"/api/v1/councils/{host}/ledger-codes",
            Codes("2025-04", "S100", Service(service, "0100", "4000", "9400", fund: null))))
            .JsonAsync(HttpStatusCode.OK);
        var unit4 = await (await admin.GetAsync($"/api/v1/councils/{host}/journals/2025-26?format=unit4")).ProblemAsync(
            HttpStatusCode.UnprocessableEntity);
        Assert.Contains("fund", unit4.Text("detail"));
        var journal = await admin.JsonJournalAsync(host, "2025-26");
        Assert.All(journal.Vouchers(), v => Assert.Equal(
            ("9400", 0.00m, 500.00m),
            (v.Lines().First().Text("account"), v.Lines().First().Money("debit"), v.Lines().First().Money("credit"))));
    }

    [Fact]
    public async Task No_council_sees_or_sets_another_s_codes_or_journals_and_codes_name_only_its_own_services()
    {
        var (host, partner, service) = await ClosedYearAsync();
        var outsider = (await factory.Admin().NewCouncilsAsync("JO"))[0];
        var partnerKey = await factory.CouncilClient(
            partner,
            Scopes.LedgerWrite,
            Scopes.StatementsRead,
            Scopes.CostsWrite);
        var outsiderKey = await factory.CouncilClient(
            outsider,
            Scopes.LedgerWrite,
            Scopes.StatementsRead,
            Scopes.CostsWrite);
        await (await partnerKey.PutAsJsonAsync(
            $"/api/v1/councils/{partner}/ledger-codes",
            Codes("2025-04", "S100", Service(service, "0100", "4000")))).JsonAsync(HttpStatusCode.OK);

        await (await partnerKey.GetAsync($"/api/v1/councils/{host}/ledger-codes")).ProblemAsync(
            HttpStatusCode.Forbidden);
        await (await partnerKey.GetAsync($"/api/v1/councils/{host}/journals/2025-26")).ProblemAsync(
            HttpStatusCode.Forbidden);
        await (await partnerKey.PutAsJsonAsync(
            $"/api/v1/councils/{host}/ledger-codes",
            Codes("2025-04", "S1", Service(service, "1", "2")))).ProblemAsync(HttpStatusCode.Forbidden);
        await (await outsiderKey.GetAsync($"/api/v1/councils/{partner}/ledger-codes")).ProblemAsync(
            HttpStatusCode.Forbidden);
        await (await outsiderKey.GetAsync($"/api/v1/councils/{partner}/journals/2025-26")).ProblemAsync(
            HttpStatusCode.Forbidden);
        await (await outsiderKey.PostAsync(
            $"/api/v1/councils/{partner}/gl-extracts",
            Extract("0100,4000,2025-06,1.00,,"))).ProblemAsync(HttpStatusCode.Forbidden);
        await (await outsiderKey.PutAsJsonAsync(
            $"/api/v1/councils/{outsider}/ledger-codes",
            Codes("2025-04", "S1", Service(service, "1", "2"))))
            .ProblemAsync(HttpStatusCode.BadRequest, "services[0].service");
        await (await partnerKey.PutAsJsonAsync(
            $"/api/v1/councils/{partner}/ledger-codes",
            Codes("2025-04", "S1", Service(service, "1", "2", recoveryAccount: "9"))))
            .ProblemAsync(HttpStatusCode.BadRequest, "services[0].recoveryAccount");
        await (await partnerKey.PutAsJsonAsync(
            $"/api/v1/councils/{partner}/ledger-codes",
            Codes("2025-04", "=SUM(A1)", Service(service, "-1", "2"))))
            .ProblemAsync(HttpStatusCode.BadRequest, "controlAccount.account", "services[0].costCentre");

        var own = await partnerKey.GetJsonAsync($"/api/v1/councils/{partner}/ledger-codes");
        Assert.Equal("0100", Assert.Single(
            Assert.Single(own.GetProperty("versions").EnumerateArray()).GetProperty("services").EnumerateArray())
            .Text("costCentre"));
    }

    [Fact]
    public async Task A_gl_extract_line_whose_codes_lead_nowhere_is_refused_naming_it_or_skipped_and_listed()
    {
        var admin = factory.Admin();
        var councils = await admin.NewCouncilsAsync("GH", "GP");
        var service = await admin.ServiceWithFixedSplitAsync("GS", "2025-04", (councils[0], 60m), (councils[1], 40m));
        var host = await factory.CouncilClient(
            councils[0],
            Scopes.LedgerWrite,
            Scopes.CostsWrite,
            Scopes.StatementsRead);
        await (await host.PutAsJsonAsync($"/api/v1/councils/{councils[0]}/ledger-codes", Codes("2025-04", "S100",
            Service(service, "00410", "9400",
                costAccounts: [new { account = "0110", category = "staff" },
                    new { account = "4210", category = "software" }])))).JsonAsync(HttpStatusCode.OK);
        string[] lines = ["00410,0110,2025-06,1200.00,June salaries,GL-1", "00999,0110,2025-06,50.00,Someone "
            + "else's,GL-2", "00410,4210,2025-07,\"99.99\",\"Licence, annual\",GL-3"];

        var refused = await (await host.PostAsync($"/api/v1/councils/{councils[0]}/gl-extracts", Extract(lines)))
            .ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("line 2: cost centre 00999, account 0110", refused.Text("detail"));
        Assert.Empty((await admin.GetJsonAsync($"/api/v1/shared-services/{service}/costs")).Items());

        var posted = await (await host.PostAsync(
            $"/api/v1/councils/{councils[0]}/gl-extracts?unmapped=skip",
            Extract(lines))).JsonAsync(HttpStatusCode.Created);
        Assert.Equal(
            (3, 2, 1299.99m),
            (posted.GetProperty("lines").GetInt32(), posted.GetProperty("posted").GetInt32(),
                posted.Money("netAmount")));
        var skipped = Assert.Single(posted.GetProperty("skipped").EnumerateArray());
        Assert.Equal(
            (2, "00999", "0110"),
            (skipped.GetProperty("line").GetInt32(), skipped.Text("costCentre"), skipped.Text("account")));
        var costs = (await admin.GetJsonAsync($"/api/v1/shared-services/{service}/costs")).Items();
        Assert.Equal(
            [("2025-06", 1200.00m, "staff", councils[0], "GL-1"), ("2025-07", 99.99m, "software", councils[0], "GL-3")],
            costs.Select(
                c => (c.Text("month"), c.Money("amount"), c.Text("category"), c.Text("paidBy"), c.Text("reference")))
                .OrderBy(c => c.Item1));
    }

    [Fact]
    public async Task A_gl_extract_with_a_line_in_a_closed_month_is_409_and_writes_nothing_and_a_retry_posts_once()
    {
        var admin = factory.Admin();
        var councils = await admin.NewCouncilsAsync("CH", "CP");
        var service = await admin.ServiceWithFixedSplitAsync("CS", "2025-04", (councils[0], 50m), (councils[1], 50m));
        await (await admin.PutAsJsonAsync($"/api/v1/councils/{councils[0]}/ledger-codes", Codes("2025-04", "S100",
            Service(service, "0410", "9400", costAccounts: [new { account = "0110", category = "staff" }])))).JsonAsync(
                HttpStatusCode.OK);
        await admin.CloseThroughAsync(service, "2025-05");

        var closed = await (await admin.PostAsync(
            $"/api/v1/councils/{councils[0]}/gl-extracts",
            Extract("0410,0110,2025-06,10.00,,", "0410,0110,2025-05,20.00,,")))
            .ProblemAsync(HttpStatusCode.Conflict);
        Assert.EndsWith("/closed-period", closed.Text("type"));
        Assert.Empty((await admin.GetJsonAsync($"/api/v1/shared-services/{service}/costs")).Items());

        using var first = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/councils/{councils[0]}/gl-extracts")
        {
            Content = Extract("0410,0110,2025-06,10.00,,")
        };
        first.Headers.Add("Idempotency-Key", "extract-june");
        using var retry = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/councils/{councils[0]}/gl-extracts")
        {
            Content = Extract("0410,0110,2025-06,10.00,,")
        };
        retry.Headers.Add("Idempotency-Key", "extract-june");
        var a = await (await admin.SendAsync(first)).JsonAsync(HttpStatusCode.Created);
        var b = await (await admin.SendAsync(retry)).JsonAsync(HttpStatusCode.Created);
        Assert.Equal(a.Text("batchId"), b.Text("batchId"));
        Assert.Single((await admin.GetJsonAsync($"/api/v1/shared-services/{service}/costs")).Items());
    }

    [Fact]
    public async Task Bad_journal_and_extract_requests_are_problems_naming_the_field()
    {
        var (host, _, _) = await ClosedYearAsync();
        var admin = factory.Admin();
        await (await admin.GetAsync($"/api/v1/councils/{host}/journals/2025-13")).ProblemAsync(
            HttpStatusCode.BadRequest,
            "period");
        await (await admin.GetAsync($"/api/v1/councils/{host}/journals/2025-26?format=xero")).ProblemAsync(
            HttpStatusCode.BadRequest,
            "format");
        await (await admin.GetAsync($"/api/v1/councils/{host}/journals/2025-26?provisional=yes")).ProblemAsync(
            HttpStatusCode.BadRequest,
            "provisional");
        await (await admin.PostAsync(
            $"/api/v1/councils/{host}/gl-extracts",
            new StringContent("a,b\r\n1,2\r\n", System.Text.Encoding.UTF8, "text/csv")))
            .ProblemAsync(HttpStatusCode.BadRequest, "header");
        await (await admin.PostAsync($"/api/v1/councils/{host}/gl-extracts", Extract("0410,0110,2025-06,10.001,,")))
            .ProblemAsync(HttpStatusCode.BadRequest, "lines[1].amount");
        await (await admin.PostAsync(
            $"/api/v1/councils/{host}/gl-extracts?unmapped=maybe",
            Extract("0410,0110,2025-06,10.00,,")))
            .ProblemAsync(HttpStatusCode.BadRequest, "unmapped");
        await (await admin.GetAsync("/api/v1/councils/NOSUCH/journals/2025-26")).ProblemAsync(HttpStatusCode.NotFound);
    }
}
