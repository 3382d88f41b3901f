using System.Net.Http.Headers;
using Apportionment.Api.Infrastructure.Errors;
using Apportionment.Api.Infrastructure.Security;

namespace Apportionment.Api.Tests.Security;

/// <summary>
/// No council changes another's figures and issued months stay issued: each rule tried, through HTTP, with the key of
/// the council that would gain by breaking it.
/// </summary>
public sealed class SovereigntyTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _admin = factory.Admin();

    private static Dictionary<string, decimal> Figures(params (string Council, decimal Quantity)[] figures) =>
        figures.ToDictionary(f => f.Council, f => f.Quantity, StringComparer.Ordinal);

    private static Task<HttpResponseMessage> PutActivity(
        HttpClient client,
        string service,
        string month,
        Dictionary<string, decimal> quantities) =>
        client.PutAsJsonAsync(
            $"/api/v1/shared-services/{service}/activity/{month}",
            new { driver = "hours", quantities });

    private Task<HttpClient> KeyOf(string council)
        => factory.CouncilClient(council, Scopes.CostsWrite, Scopes.StatementsRead);

    private static Task<HttpResponseMessage> Close(HttpClient client, string service, string month) =>
        client.PostAsync($"/api/v1/shared-services/{service}/periods/{month}/close", null);

    private async Task<(string Service, string Host, string Partner)> SplitByHoursAsync(string? endMonth = null)
    {
        var codes = await _admin.NewCouncilsAsync("MD", "ND");
        var service = ApiSteps.UniqueCode("BC");
        await _admin.CreateServiceAsync(service, codes[0], codes, "2024-04", endMonth);
        await _admin.AgreeAsync(service, ApiSteps.DriverSplit("2024-04", "hours", codes));
        return (service, codes[0], codes[1]);
    }

    private async Task<JsonElement> CurrentReturnAsync(string service, string month) =>
        (await _admin.GetJsonAsync($"/api/v1/shared-services/{service}/activity/{month}")).Items()[0]
            .GetProperty("quantities");

    [Fact]
    public async Task A_partner_cannot_set_another_councils_activity_figure_and_its_own_is_merged_into_the_return()
    {
        var (service, host, partner) = await SplitByHoursAsync();
        await _admin.PutActivityAsync(service, "2025-01", "hours", Figures((host, 100m), (partner, 300m)));
        await _admin.PostCostAsync(service, "2025-01", 1000m);
        var partnerKey = await KeyOf(partner);

        // The abuse from the issue: the partner moves the whole month's cost onto the host. 403, naming the host.
        var problem = await (await PutActivity(partnerKey, service, "2025-01", Figures((host, 1000m), (partner, 0m))))
            .ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(ProblemTypes.Forbidden, problem.Text("type"));
        Assert.Contains(host, problem.Text("detail"), StringComparison.Ordinal);
        Assert.Equal(100m, (await CurrentReturnAsync(service, "2025-01")).GetProperty(host).GetDecimal());
        Assert.Equal(250.00m, (await _admin.ApportionmentAsync(service, "2025-01")).Allocations()[host]);

        // Its own correction is merged: the host's 100 hours stay as the host reported them.
        var merged = await (await PutActivity(partnerKey, service, "2025-01", Figures((partner, 100m)))).JsonAsync(
            HttpStatusCode.OK);
        Assert.Equal(100m, merged.GetProperty("quantities").GetProperty(host).GetDecimal());
        Assert.Equal(100m, merged.GetProperty("quantities").GetProperty(partner).GetDecimal());
        Assert.Equal(500.00m, (await _admin.ApportionmentAsync(service, "2025-01")).Allocations()[host]);

        // Who changed what: every version stays in the history and the audit trail names the partner's key.
        Assert.Equal(2, (await _admin.GetJsonAsync($"/api/v1/shared-services/{service}/activity/2025-01")).GetProperty(
            "total").GetInt32());
        var audit = await _admin.GetJsonAsync($"/api/v1/audit?entity=activity&council={partner}");
        Assert.Contains(audit.Items(), e => e.Text("entityId") == merged.GetProperty("id").GetInt64()
            .ToString(System.Globalization.CultureInfo.InvariantCulture));

        // Only the admin key replaces a whole return.
        var replaced = await _admin.PutActivityAsync(service, "2025-01", "hours", Figures((host, 7m)));
        Assert.False(replaced.GetProperty("quantities").TryGetProperty(partner, out _));
    }

    [Fact]
    public async Task Two_councils_reporting_the_same_month_at_once_both_keep_their_figures()
    {
        var (service, host, partner) = await SplitByHoursAsync();
        var (hostKey, partnerKey) = (await KeyOf(host), await KeyOf(partner));
        for (var round = 1; round <= 5; round++)
        {
            var month = $"2025-0{round}";
            await Task.WhenAll(
                PutActivity(hostKey, service, month, Figures((host, round))).ContinueWith(
                    t => t.Result.EnsureSuccessStatusCode(),
                    TaskScheduler.Default),
                PutActivity(partnerKey, service, month, Figures((partner, 10m * round))).ContinueWith(
                    t => t.Result.EnsureSuccessStatusCode(),
                    TaskScheduler.Default));

            var current = await CurrentReturnAsync(service, month);
            Assert.Equal(
                (round, 10m * round),
                (current.GetProperty(host).GetDecimal(), current.GetProperty(partner).GetDecimal()));
        }
    }

    [Fact]
    public async Task A_return_that_leaves_a_driver_month_with_no_positive_total_is_400()
    {
        var (service, host, partner) = await SplitByHoursAsync();
        var partnerKey = await KeyOf(partner);
        await (await PutActivity(partnerKey, service, "2025-02", Figures((partner, 0m)))).ProblemAsync(
            HttpStatusCode.BadRequest,
            "quantities");
        await (await PutActivity(_admin, service, "2025-02", Figures((host, 0m), (partner, 0m)))).ProblemAsync(
            HttpStatusCode.BadRequest,
            "quantities");

        // The partner holds every hour of March; zeroing its own figure would leave the month unsplittable.
        await _admin.PutActivityAsync(service, "2025-03", "hours", Figures((host, 0m), (partner, 40m)));
        await (await PutActivity(partnerKey, service, "2025-03", Figures((partner, 0m)))).ProblemAsync(
            HttpStatusCode.BadRequest,
            "quantities");
        Assert.Equal(40m, (await CurrentReturnAsync(service, "2025-03")).GetProperty(partner).GetDecimal());
    }

    [Fact]
    public async Task A_member_with_postings_activity_or_closed_months_cannot_be_removed()
    {
        var codes = await _admin.NewCouncilsAsync("H", "P", "Q", "R", "S");
        var (host, paid, reported, issued, idle) = (codes[0], codes[1], codes[2], codes[3], codes[4]);
        var service = ApiSteps.UniqueCode("MEM");
        await _admin.CreateServiceAsync(service, host, codes, "2024-04");
        await _admin.PostCostAsync(service, "2024-05", 10m, paidBy: paid);
        await _admin.PutActivityAsync(service, "2024-05", "hours", Figures((reported, 3m)));
        await (await Close(await KeyOf(host), service, "2024-04")).JsonAsync(HttpStatusCode.OK);

        // A council's own key cannot change the membership at all: that is the admin's.
        await (await (await KeyOf(paid)).PatchAsJsonAsync(
            $"/api/v1/shared-services/{service}",
            new { members = new[] { host, paid } }))
            .ProblemAsync(HttpStatusCode.Forbidden);

        foreach (var (council, holds) in new[] {
            (paid, "posting"),
            (reported, "activity figures"),
            (issued, "closed month") })
        {
            var problem = await (await _admin.PatchAsJsonAsync(
                $"/api/v1/shared-services/{service}",
                new { members = codes.Where(c => c != council).ToArray() }))
                .ProblemAsync(HttpStatusCode.Conflict);
            Assert.Contains(council, problem.Text("detail"), StringComparison.Ordinal);
            Assert.Contains(holds, problem.Text("detail"), StringComparison.Ordinal);
        }

        Assert.Equal(
            5,
            (await _admin.GetJsonAsync($"/api/v1/shared-services/{service}")).GetProperty("members").GetArrayLength());

        // A council that joins after the close and records nothing may leave again.
        var joiner = (await _admin.NewCouncilsAsync("J"))[0];
        await (await _admin.PatchAsJsonAsync(
            $"/api/v1/shared-services/{service}",
            new { members = codes.Append(joiner).ToArray() })).JsonAsync(HttpStatusCode.OK);
        var left = await (await _admin.PatchAsJsonAsync($"/api/v1/shared-services/{service}", new { members = codes }))
            .JsonAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(joiner, left.GetProperty("members").EnumerateArray().Select(m => m.GetString()));
        Assert.Contains(idle, left.GetProperty("members").EnumerateArray().Select(m => m.GetString()));
    }

    [Fact]
    public async Task Months_close_in_order_within_the_run_and_not_before_they_begin()
    {
        var (service, host, _) = await SplitByHoursAsync(endMonth: "2090-12");
        var hostKey = await KeyOf(host);

        await (await Close(hostKey, service, "2090-01")).ProblemAsync(HttpStatusCode.BadRequest, "month");
        await (await Close(hostKey, service, "2024-03")).ProblemAsync(HttpStatusCode.BadRequest, "month");
        await (await Close(hostKey, service, "2091-01")).ProblemAsync(HttpStatusCode.BadRequest, "month");
        var outOfOrder = await (await Close(hostKey, service, "2024-06")).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("2024-04", outOfOrder.Text("detail"), StringComparison.Ordinal);

        await (await Close(hostKey, service, "2024-04")).JsonAsync(HttpStatusCode.OK);
        await (await Close(hostKey, service, "2024-05")).JsonAsync(HttpStatusCode.OK);
        var again = await (await Close(hostKey, service, "2024-04")).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(ProblemTypes.ClosedPeriod, again.Text("type"));

        var periods = (await _admin.GetJsonAsync($"/api/v1/shared-services/{service}/periods?period=2024-25-Q1"))
            .Items();
        Assert.Equal([true, true, false], periods.Select(p => p.GetProperty("closed").GetBoolean()));

        // There is no way back: no operation reopens a month.
        Assert.Equal(
            HttpStatusCode.MethodNotAllowed,
            (await _admin.DeleteAsync($"/api/v1/shared-services/{service}/periods/2024-05/close")).StatusCode);
    }

    [Fact]
    public async Task Nothing_is_written_to_a_month_outside_the_run_or_not_yet_begun()
    {
        var (service, host, partner) = await SplitByHoursAsync(endMonth: "2025-03");
        var hostKey = await KeyOf(host);
        var partnerKey = await KeyOf(partner);
        await (await hostKey.PostCostRawAsync(service, "9999-12", 1m)).ProblemAsync(HttpStatusCode.BadRequest, "month");
        await (await partnerKey.PostCostRawAsync(service, "2025-04", 1m)).ProblemAsync(
            HttpStatusCode.BadRequest,
            "month");
        await (await partnerKey.PostCostRawAsync(service, "2024-03", 1m)).ProblemAsync(
            HttpStatusCode.BadRequest,
            "month");
        await (await partnerKey.PostAsJsonAsync(
            "/api/v1/cost-batches",
            new[] { new { service, month = "9999-12", amount = 1m, category = "staff" } }))
            .ProblemAsync(HttpStatusCode.BadRequest, "lines[1].month");
        await (await PutActivity(partnerKey, service, "9999-12", Figures((partner, 1m)))).ProblemAsync(
            HttpStatusCode.BadRequest,
            "month");

        // A service with no end month still takes nothing for a month that has not begun.
        var (open, openHost, _) = await SplitByHoursAsync();
        await (await (await KeyOf(openHost)).PostCostRawAsync(open, "9999-12", 1m)).ProblemAsync(
            HttpStatusCode.BadRequest,
            "month");
        var next = DateTime.UtcNow.AddMonths(2).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        await (await _admin.PostCostRawAsync(open, next, 1m)).ProblemAsync(HttpStatusCode.BadRequest, "month");

        Assert.Equal(
            0,
            (await _admin.GetJsonAsync($"/api/v1/shared-services/{service}/costs")).GetProperty("total").GetInt32());
        Assert.Equal(
            0,
            (await _admin.GetJsonAsync($"/api/v1/shared-services/{open}/costs")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_reversal_whose_later_months_are_all_closed_is_409_not_500()
    {
        var (service, host, partner) = await SplitByHoursAsync(endMonth: "2024-06");
        await _admin.PutActivityAsync(service, "2024-06", "hours", Figures((host, 1m), (partner, 1m)));
        var posting = await _admin.PostCostAsync(service, "2024-06", 120m, paidBy: host);
        var hostKey = await KeyOf(host);
        foreach (var month in new[] { "2024-04", "2024-05", "2024-06" })
        {
            await (await Close(hostKey, service, month)).JsonAsync(HttpStatusCode.OK);
        }

        var problem = await (await hostKey.PostAsJsonAsync(
            $"/api/v1/costs/{posting.Text("id")}/reversal",
            new { reason = "duplicate" })).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(ProblemTypes.ClosedPeriod, problem.Text("type"));
        Assert.Contains("2024-06", problem.Text("detail"), StringComparison.Ordinal);
        Assert.Equal(
            1,
            (await _admin.GetJsonAsync($"/api/v1/shared-services/{service}/costs")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task The_end_month_cannot_move_before_a_month_with_postings_or_activity()
    {
        var (service, host, partner) = await SplitByHoursAsync();
        await _admin.PostCostAsync(service, "2024-09", 50m, paidBy: partner);
        await _admin.PutActivityAsync(service, "2024-10", "hours", Figures((host, 2m)));

        foreach (var end in new[] { "2024-08", "2024-09" })
        {
            var problem = await (await _admin.PatchAsJsonAsync(
                $"/api/v1/shared-services/{service}",
                new { endMonth = end })).ProblemAsync(HttpStatusCode.Conflict);
            Assert.Contains("2024-10", problem.Text("detail"), StringComparison.Ordinal);
        }

        var unchanged = await _admin.GetJsonAsync($"/api/v1/shared-services/{service}");
        Assert.False(
            unchanged.TryGetProperty("endMonth", out var endMonth) && endMonth.ValueKind != JsonValueKind.Null,
            $"endMonth was set: {unchanged}");
        var ended = await (await _admin.PatchAsJsonAsync(
            $"/api/v1/shared-services/{service}",
            new { endMonth = "2024-10" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("2024-10", ended.Text("endMonth"));
    }

    [Fact]
    public async Task Renaming_a_service_after_its_month_closed_leaves_the_issued_statement_and_its_etag_unchanged()
    {
        var codes = await _admin.NewCouncilsAsync("H", "P");
        var service = await _admin.ServiceWithFixedSplitAsync("REN", "2024-04", (codes[0], 60m), (codes[1], 40m));
        await _admin.PostCostAsync(service, "2024-04", 1000m);
        await _admin.PostCostAsync(service, "2024-05", 500m);
        await (await Close(await KeyOf(codes[0]), service, "2024-04")).JsonAsync(HttpStatusCode.OK);
        var partnerKey = await KeyOf(codes[1]);
        var url = $"/api/v1/councils/{codes[1]}/recharge-statements/2024-04";

        async Task<(string Json, string? JsonETag, string Csv, string? CsvETag)> Statement()
        {
            var json = await partnerKey.GetAsync(url);
            var csv = await partnerKey.SendAsync(ApiSteps.AcceptCsv(url));
            Assert.Equal(HttpStatusCode.OK, json.StatusCode);
            Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
            return (await json.Content.ReadAsStringAsync(), json.Headers.ETag?.Tag, await csv.Content
                .ReadAsStringAsync(), csv.Headers.ETag?.Tag);
        }

        var issued = await Statement();
        Assert.Contains($"{service} shared service", issued.Json, StringComparison.Ordinal);
        await (await _admin.PatchAsJsonAsync(
            $"/api/v1/shared-services/{service}",
            new { name = "Renamed after the close" })).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(issued, await Statement());
        using var conditional = new HttpRequestMessage(HttpMethod.Get, url);
        conditional.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(issued.JsonETag!));
        Assert.Equal(HttpStatusCode.NotModified, (await partnerKey.SendAsync(conditional)).StatusCode);

        // The open month's statement is not issued yet: it carries the name as it is now.
        var open = await partnerKey.StatementAsync(codes[1], "2024-05");
        Assert.Equal("Renamed after the close", open.LineFor(service).Text("serviceName"));
    }

    [Fact]
    public async Task A_council_key_cannot_tell_a_service_it_is_not_in_from_one_that_does_not_exist()
    {
        var codes = await _admin.NewCouncilsAsync("H", "P", "OUT");
        var service = await _admin.ServiceWithFixedSplitAsync("HID", "2024-04", (codes[0], 50m), (codes[1], 50m));
        var posting = await _admin.PostCostAsync(service, "2024-05", 10m);
        var outsider = await factory.CouncilClient(
            codes[2],
            Scopes.CostsWrite,
            Scopes.StatementsRead,
            Scopes.AgreementsApprove);
        var ghost = ApiSteps.UniqueCode("NONE");

        async Task SameAnswer(
            Func<string, Task<HttpResponseMessage>> call,
            string existing,
            string missing,
            HttpStatusCode status)
        {
            // Everything but the code asked for and the per-request fields is the same, byte for byte.
            static string Normalised(JsonElement problem, string code) => string.Join(",", problem.EnumerateObject()
                .Where(p => p.Name is not ("traceId" or "instance")).Select(
                    p => p.ToString().Replace(code, "*", StringComparison.Ordinal)));
            var real = await (await call(existing)).ProblemAsync(status);
            var none = await (await call(missing)).ProblemAsync(status);
            Assert.Equal(Normalised(none, missing), Normalised(real, existing));
        }

        await SameAnswer(
            s => outsider.GetAsync($"/api/v1/shared-services/{s}"),
            service,
            ghost,
            HttpStatusCode.NotFound);
        await SameAnswer(
            s => outsider.GetAsync($"/api/v1/shared-services/{s}/apportionments/2024-25"),
            service,
            ghost,
            HttpStatusCode.NotFound);
        await SameAnswer(s => outsider.PostCostRawAsync(s, "2024-05", 1m), service, ghost, HttpStatusCode.NotFound);
        await SameAnswer(
            s => PutActivity(outsider, s, "2024-05", Figures((codes[2], 1m))),
            service,
            ghost,
            HttpStatusCode.NotFound);
        await SameAnswer(s => Close(outsider, s, "2024-04"), service, ghost, HttpStatusCode.NotFound);
        await SameAnswer(
            s => outsider.GetAsync($"/api/v1/costs/{s}"),
            posting.Text("id"),
            Guid.NewGuid().ToString(),
            HttpStatusCode.NotFound);
        await SameAnswer(
            s => outsider.PostAsJsonAsync($"/api/v1/costs/{s}/reversal", new { reason = "probe" }),
            posting.Text("id"),
            Guid.NewGuid().ToString(),
            HttpStatusCode.NotFound);
        await SameAnswer(s => outsider.PostAsJsonAsync(
            "/api/v1/cost-batches",
            new[] { new { service = s, month = "2024-05", amount = 1m, category = "staff" } }),
            service, ghost, HttpStatusCode.BadRequest);

        // The member itself still sees it.
        await (await _admin.GetAsync($"/api/v1/shared-services/{service}")).JsonAsync(HttpStatusCode.OK);
        await (await (await KeyOf(codes[1])).GetAsync($"/api/v1/shared-services/{service}")).JsonAsync(
            HttpStatusCode.OK);
    }
}
