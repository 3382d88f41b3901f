using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;
using Polly.Timeout;

namespace Apportionment.Api.Infrastructure.Webhooks;

/// <summary>A delivery as claimed by a dispatcher: what to send, where, and signed with which secrets.</summary>
public sealed record ClaimedDelivery(
    Guid Id,
    Guid SubscriptionId,
    string Url,
    IReadOnlyList<string> Secrets,
    Guid EventId,
    string Body,
    int Attempts,
    int RoundStart);

/// <summary>
/// How one attempt went. <see cref="NotSent"/> means the endpoint's circuit was open: no request was made.
/// </summary>
public sealed record AttemptOutcome(
    bool Succeeded,
    int? StatusCode,
    string? Error,
    double DurationMs,
    TimeSpan? NotSent = null);

/// <summary>
/// Sends one attempt through a Polly pipeline kept per endpoint: a circuit breaker (an endpoint that keeps failing is
/// left alone for a while, and its deliveries wait without using up attempts) around a per-attempt timeout. Retries are
/// not Polly's in-memory loop: they are scheduled in the database (<see cref="RetrySchedule"/>) so they last hours and
/// survive restarts. Redirects are not followed, and at most a few KB of any answer are read.
/// </summary>
public sealed class WebhookSender(
    IHttpClientFactory clients,
    IOptions<WebhookOptions> options,
    TimeProvider clock) : IAsyncDisposable
{
    public const string ClientName = "webhooks";

    private readonly ResiliencePipelineRegistry<Guid> _pipelines = new();

    public async Task<AttemptOutcome> SendAsync(ClaimedDelivery delivery, CancellationToken ct)
    {
        var o = options.Value;
        var pipeline = _pipelines.GetOrAddPipeline<HttpResponseMessage>(delivery.SubscriptionId, b => b
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>().Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(r => !r.IsSuccessStatusCode),
                FailureRatio = o.BreakerFailureRatio,
                MinimumThroughput = o.BreakerMinimumThroughput,
                SamplingDuration = o.BreakerSamplingDuration,
                BreakDuration = o.BreakerDuration,
            })
            .AddTimeout(o.AttemptTimeout));

        var started = Stopwatch.GetTimestamp();
        string? excerpt = null;
        try
        {
            using var response = await pipeline.ExecuteAsync(async token =>
            {
                using var request = Request(delivery);
                var answer = await clients.CreateClient(ClientName)
                    .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token);
                excerpt = await ReadAtMostAsync(answer, o.MaxResponseBytes, token);
                return answer;
            }, ct);
            var code = (int)response.StatusCode;
            return new AttemptOutcome(
                response.IsSuccessStatusCode,
                code,
                response.IsSuccessStatusCode ? null : Trim($"HTTP {code} {excerpt}"),
                Elapsed(started));
        }
        catch (BrokenCircuitException e)
        {
            return new AttemptOutcome(
                false,
                null,
                "Circuit open: the endpoint has been failing.",
                0,
                e.RetryAfter ?? o.BreakerDuration);
        }
        catch (TimeoutRejectedException)
        {
            return new AttemptOutcome(
                false,
                null,
                $"No answer within {o.AttemptTimeout.TotalSeconds:0.#} s.",
                Elapsed(started));
        }
        catch (HttpRequestException e)
        {
            return new AttemptOutcome(
                false,
                null,
                Trim(e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message),
                Elapsed(started));
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Whatever else went wrong with this endpoint is its failed attempt, recorded, not a stuck delivery.
            return new AttemptOutcome(false, null, Trim($"{e.GetType().Name}: {e.Message}"), Elapsed(started));
        }
    }

    private HttpRequestMessage Request(ClaimedDelivery delivery)
    {
        var id = delivery.EventId.ToString();
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url)
        {
            Content = new StringContent(delivery.Body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers
            .Add("webhook-signature", WebhookSignature.Header(delivery.Secrets, id, timestamp, delivery.Body));
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Apportionment-Webhooks", "1.0"));
        return request;
    }

    /// <summary>
    /// Reads no more than <paramref name="max"/> bytes of the answer; a receiver cannot make the service download a
    /// large body.
    /// </summary>
    private static async Task<string> ReadAtMostAsync(HttpResponseMessage response, int max, CancellationToken ct)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new byte[max];
        var read = 0;
        int n;
        while (read < max && (n = await stream.ReadAsync(buffer.AsMemory(read, max - read), ct)) > 0)
        {
            read += n;
        }

        return Encoding.UTF8.GetString(buffer, 0, read);
    }

    public ValueTask DisposeAsync() => _pipelines.DisposeAsync();

    private static string Trim(string text) => text.Length <= 300 ? text.Trim() : text[..300].Trim();

    private static double Elapsed(long started) => Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1);
}
