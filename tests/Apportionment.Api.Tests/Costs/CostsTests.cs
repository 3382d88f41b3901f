namespace Apportionment.Api.Tests.Costs;

public sealed class CostsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _admin = factory.Admin();

    [Fact]
    public async Task Posting_a_cost_is_201_with_location_and_paid_by_defaults_to_the_host()
    {
        var (service, host, partner) = await Service();
        var response = await _admin.PostCostRawAsync(service, "2024-05", 1234.5m, category: "salaries");
        var posting = await response.JsonAsync(HttpStatusCode.Created);
        Assert.Equal($"/api/v1/costs/{posting.Text("id")}", response.Headers.Location?.OriginalString);
        Assert.Equal(host, posting.Text("paidBy"));
        Assert.Equal(1234.50m, posting.Money("amount"));
        Assert.Equal("2024-05", posting.Text("month"));

        var read = await _admin.GetJsonAsync(response.Headers.Location!.OriginalString);
        Assert.Equal(posting.Text("id"), read.Text("id"));
        Assert.Equal("1234.50", read.GetProperty("amount").GetRawText());

        var byPartner = await _admin.PostCostAsync(service, "2024-05", 10m, paidBy: partner);
        Assert.Equal(partner, byPartner.Text("paidBy"));
    }

    [Fact]
    public async Task A_council_key_posts_as_its_own_council_and_not_for_another()
    {
        var (service, host, partner) = await Service();
        var partnerKey = await factory.CouncilClient(partner, "costs:write", "statements:read");
        Assert.Equal(partner, (await partnerKey.PostCostAsync(service, "2024-05", 50m)).Text("paidBy"));
        await (await partnerKey.PostCostRawAsync(service, "2024-05", 50m, paidBy: host)).ProblemAsync(
            HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_payer_outside_the_service_is_400_naming_paidBy()
    {
        var (service, _, _) = await Service();
        var outsider = (await _admin.NewCouncilsAsync("OUT"))[0];
        await (await _admin.PostCostRawAsync(service, "2024-05", 10m, paidBy: outsider)).ProblemAsync(
            HttpStatusCode.BadRequest,
            "paidBy");
    }

    [Fact]
    public async Task A_fraction_of_a_penny_is_400_naming_amount_and_nothing_is_posted()
    {
        var (service, _, _) = await Service();
        await (await _admin.PostCostRawAsync(service, "2024-05", 10.005m)).ProblemAsync(
            HttpStatusCode.BadRequest,
            "amount");
        Assert.Equal(
            0,
            (await _admin.GetJsonAsync($"/api/v1/shared-services/{service}/costs")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Month_13_is_400_naming_month()
    {
        var (service, _, _) = await Service();
        await (await _admin.PostCostRawAsync(service, "2024-13", 10m)).ProblemAsync(HttpStatusCode.BadRequest, "month");
    }

    [Fact]
    public async Task A_month_before_the_service_started_is_400_naming_month()
    {
        var (service, _, _) = await Service();
        await (await _admin.PostCostRawAsync(service, "2024-03", 10m)).ProblemAsync(HttpStatusCode.BadRequest, "month");
    }

    [Fact]
    public async Task An_amount_sent_as_a_string_is_400_naming_amount()
    {
        var (service, _, _) = await Service();
        using var content = new StringContent(
            """{"month":"2024-05","amount":"10.00","category":"staff"}""",
            System.Text.Encoding.UTF8,
            "application/json");
        await (await _admin.PostAsync($"/api/v1/shared-services/{service}/costs", content)).ProblemAsync(
            HttpStatusCode.BadRequest,
            "amount");
    }

    [Fact]
    public async Task An_idempotency_key_replays_the_same_posting_once_and_refuses_a_different_body()
    {
        var (service, _, _) = await Service();
        var key = Guid.NewGuid().ToString();
        var first = await (await _admin.PostCostRawAsync(service, "2024-05", 99.99m, idempotencyKey: key)).JsonAsync(
            HttpStatusCode.Created);
        var replay = await (await _admin.PostCostRawAsync(service, "2024-05", 99.99m, idempotencyKey: key)).JsonAsync(
            HttpStatusCode.Created);
        Assert.Equal(first.Text("id"), replay.Text("id"));

        await (await _admin.PostCostRawAsync(service, "2024-05", 100.00m, idempotencyKey: key)).ProblemAsync(
            HttpStatusCode.UnprocessableEntity);

        var ledger = await _admin.GetJsonAsync($"/api/v1/shared-services/{service}/costs");
        Assert.Equal(1, ledger.GetProperty("total").GetInt32());
        Assert.Equal(99.99m, (await _admin.ApportionmentAsync(service, "2024-05")).Money("netCost"));
    }

    [Fact]
    public async Task The_ledger_is_paged_newest_first_and_filtered_by_period()
    {
        var (service, _, _) = await Service();
        var april = await _admin.PostCostAsync(service, "2024-04", 1m);
        var july = await _admin.PostCostAsync(service, "2024-07", 2m);
        var mayFirst = await _admin.PostCostAsync(service, "2024-05", 3m);
        var maySecond = await _admin.PostCostAsync(service, "2024-05", 4m);

        var all = await _admin.GetJsonAsync($"/api/v1/shared-services/{service}/costs");
        Assert.Equal(
            new[] { july, maySecond, mayFirst, april }.Select(p => p.Text("id")),
            all.Items().Select(p => p.Text("id")));

        var q1 = await _admin.GetJsonAsync($"/api/v1/shared-services/{service}/costs?period=2024-25-Q1");
        Assert.Equal(3, q1.GetProperty("total").GetInt32());
        Assert.Equal(
            new[] { maySecond, mayFirst, april }.Select(p => p.Text("id")),
            q1.Items().Select(p => p.Text("id")));

        var may = await _admin.GetJsonAsync($"/api/v1/shared-services/{service}/costs?period=2024-05&offset=1&limit=1");
        Assert.Equal(2, may.GetProperty("total").GetInt32());
        Assert.Equal([mayFirst.Text("id")], may.Items().Select(p => p.Text("id")));

        await (await _admin.GetAsync($"/api/v1/shared-services/{service}/costs?period=2024-Q1")).ProblemAsync(
            HttpStatusCode.BadRequest,
            "period");
    }

    [Fact]
    public async Task A_reversal_posts_the_negated_amount_linked_to_the_original_and_only_once()
    {
        var (service, _, _) = await Service();
        var original = await _admin.PostCostAsync(service, "2024-05", 250.75m);
        var response = await _admin.PostAsJsonAsync(
            $"/api/v1/costs/{original.Text("id")}/reversal",
            new { reason = "Posted to the wrong service" });
        var reversal = await response.JsonAsync(HttpStatusCode.Created);
        Assert.Equal($"/api/v1/costs/{reversal.Text("id")}", response.Headers.Location?.OriginalString);
        Assert.Equal(-250.75m, reversal.Money("amount"));
        Assert.Equal(original.Text("id"), reversal.Text("reversalOf"));
        Assert.Equal("2024-05", reversal.Text("month"));

        var reread = await _admin.GetJsonAsync($"/api/v1/costs/{original.Text("id")}");
        Assert.Equal(reversal.Text("id"), reread.Text("reversedBy"));
        var listed = (await _admin.GetJsonAsync($"/api/v1/shared-services/{service}/costs")).Items()
            .Single(p => p.Text("id") == original.Text("id"));
        Assert.Equal(reversal.Text("id"), listed.Text("reversedBy"));

        Assert.Equal(0m, (await _admin.ApportionmentAsync(service, "2024-05")).Money("netCost"));

        await (await _admin.PostAsJsonAsync($"/api/v1/costs/{original.Text("id")}/reversal", new { reason = "again" }))
            .ProblemAsync(HttpStatusCode.Conflict);
        await (await _admin.PostAsJsonAsync($"/api/v1/costs/{reversal.Text("id")}/reversal", new { reason = "undo" }))
            .ProblemAsync(HttpStatusCode.Conflict);
        await (await _admin.PostAsJsonAsync($"/api/v1/costs/{Guid.NewGuid()}/reversal", new { reason = "x" }))
            .ProblemAsync(HttpStatusCode.NotFound);
        await (await _admin.PostAsJsonAsync($"/api/v1/costs/{original.Text("id")}/reversal", new { reason = "" }))
            .ProblemAsync(HttpStatusCode.BadRequest, "reason");
    }

    [Fact]
    public async Task A_retried_reversal_with_its_idempotency_key_replays_rather_than_conflicting()
    {
        var (service, _, _) = await Service();
        var original = await _admin.PostCostAsync(service, "2024-05", 75m);
        var key = Guid.NewGuid().ToString();
        async Task<HttpResponseMessage> Reverse()
        {
            using var request = new HttpRequestMessage(
                HttpMethod.Post,
                $"/api/v1/costs/{original.Text("id")}/reversal")
            {
                Content = JsonContent.Create(
                    new { reason = "Wrong month" })
            };
            request.Headers.Add("Idempotency-Key", key);
            return await _admin.SendAsync(request);
        }

        var first = await (await Reverse()).JsonAsync(HttpStatusCode.Created);
        var retry = await (await Reverse()).JsonAsync(HttpStatusCode.Created);
        Assert.Equal(first.Text("id"), retry.Text("id"));
        Assert.Equal(0m, (await _admin.ApportionmentAsync(service, "2024-05")).Money("netCost"));
    }

    [Fact]
    public async Task An_unknown_posting_is_404()
    {
        await (await _admin.GetAsync($"/api/v1/costs/{Guid.NewGuid()}")).ProblemAsync(HttpStatusCode.NotFound);
    }

    private async Task<(string Service, string Host, string Partner)> Service()
    {
        var codes = await _admin.NewCouncilsAsync("H", "P");
        var service = ApiSteps.UniqueCode("SVC");
        await _admin.CreateServiceAsync(service, codes[0], codes);
        await _admin.AgreeAsync(service, ApiSteps.FixedSplit("2024-04", (codes[0], 50m), (codes[1], 50m)));
        return (service, codes[0], codes[1]);
    }
}
