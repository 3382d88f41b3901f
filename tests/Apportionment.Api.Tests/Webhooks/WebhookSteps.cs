namespace Apportionment.Api.Tests.Webhooks;

/// <summary>What a council's integrator does with webhooks, through the public API.</summary>
public static class WebhookSteps
{
    public static readonly string[] AllEvents = ["agreement.proposed", "agreement.approved", "agreement.agreed",
        "agreement.withdrawn", "period.closed", "cost-batch.accepted", "journal.ready"];

    public static async Task<(Guid Id, string Secret)> SubscribeAsync(
        this HttpClient client,
        string? council,
        string url,
        params string[] events)
    {
        var created = await client.PostJsonAsync(
            "/api/v1/webhooks",
            new { council, url, events = events.Length == 0 ? AllEvents : events });
        return (created.GetProperty("id").GetGuid(), created.Text("secret"));
    }

    public static async Task<IReadOnlyList<JsonElement>> DeliveriesAsync(this HttpClient client, Guid subscription) =>
        (await client.GetJsonAsync($"/api/v1/webhooks/{subscription}/deliveries?limit=500")).Items();

    public static async Task<JsonElement> PostBatchAsync(
        this HttpClient client,
        params (string Service, string Month, decimal Amount)[] lines) =>
        await client.PostJsonAsync("/api/v1/cost-batches", lines.Select(
            l => new { service = l.Service, month = l.Month, amount = l.Amount, category = "staff" }).ToArray());

    public static async Task CloseMonthAsync(this HttpClient client, string service, string month) =>
        await (await client.PostAsync($"/api/v1/shared-services/{service}/periods/{month}/close", null)).JsonAsync(
            HttpStatusCode.OK);

    /// <summary>
    /// Waits (up to 30 s) until the condition holds; delivery is asynchronous, so tests wait for outcomes, never for
    /// time.
    /// </summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Gave up waiting: {what}");
            await Task.Delay(50);
        }
    }

    public static Task EventuallyAsync(Func<bool> condition, string what)
        => EventuallyAsync(() => Task.FromResult(condition()), what);

    /// <summary>Waits until no delivery of the subscription is still pending, and returns the log.</summary>
    public static async Task<IReadOnlyList<JsonElement>> SettledDeliveriesAsync(
        this HttpClient client,
        Guid subscription,
        int expected)
    {
        IReadOnlyList<JsonElement> log = [];
        await EventuallyAsync(async () =>
        {
            log = await client.DeliveriesAsync(subscription);
            return log.Count >= expected && log.All(d => d.Text("status") != "pending");
        }, $"{expected} settled deliveries for webhook {subscription}");
        return log;
    }
}
