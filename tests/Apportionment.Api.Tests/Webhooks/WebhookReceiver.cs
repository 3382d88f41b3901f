using System.Collections.Concurrent;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using StandardWebhooks;

namespace Apportionment.Api.Tests.Webhooks;

/// <summary>One request as the receiver saw it.</summary>
public sealed record ReceivedWebhook(string Path, string Id, string Body, HeaderDictionary Headers)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public string Type => Json.GetProperty("type").GetString()!;

    /// <summary>Whether the StandardWebhooks package's verifier accepts the request with this secret.</summary>
    public bool VerifiesWith(string secret)
    {
        try
        {
            new StandardWebhook(secret).Verify(Body, Headers);
            return true;
        }
        catch (StandardWebhooks.Diagnostics.WebhookVerificationException)
        {
            return false;
        }
    }

    /// <summary>
    /// Whether one of the header's space-separated signatures is this secret's, as the specification says a verifier
    /// should check. (The StandardWebhooks 1.1.2 verifier checks only the first, which is always the current secret's.)
    /// </summary>
    public bool CarriesSignatureOf(string secret) =>
        Headers["webhook-signature"].ToString().Split(' ').Contains(
            Apportionment.Api.Infrastructure.Webhooks.WebhookSignature.Sign(
                secret,
                Id,
                long.Parse(Headers["webhook-timestamp"].ToString(), System.Globalization.CultureInfo.InvariantCulture),
                Body));
}

/// <summary>
/// A partner council's receiver: real Kestrel on a loopback port. <c>/ok/…</c> answers 204; <c>/flaky/{n}/…</c> answers
/// 500 to the first n requests on that path, then 204; <c>/redirect/…</c> answers 302. Every request is kept.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, int> _seen = new(StringComparer.Ordinal);
    private WebApplication? _app;

    private WebhookReceiver(int port) => Port = port;

    public int Port { get; }

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    public string Url(string path) => $"http://127.0.0.1:{Port}/{path.TrimStart('/')}";

    public IReadOnlyList<ReceivedWebhook> At(string path)
        => Received.Where(r => r.Path == "/" + path.TrimStart('/')).ToList();

    /// <summary>A free loopback port with nothing listening on it yet: an endpoint that is down.</summary>
    public static WebhookReceiver Down()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new WebhookReceiver(port);
    }

    public static async Task<WebhookReceiver> StartAsync()
    {
        var receiver = Down();
        await receiver.ComeUpAsync();
        return receiver;
    }

    /// <summary>Starts listening (again) on the receiver's port.</summary>
    public async Task ComeUpAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, Port));
        var app = builder.Build();
        app.MapPost("/{**path}", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            var headers = new HeaderDictionary();
            foreach (var (name, value) in http.Request.Headers)
            {
                headers[name] = value;
            }

            var path = http.Request.Path.Value!;
            Received.Enqueue(new ReceivedWebhook(path, headers["webhook-id"].ToString(), body, headers));
            var count = _seen.AddOrUpdate(path, 1, (_, n) => n + 1);
            var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            return segments[0] switch
            {
                "flaky" when count <= int.Parse(
                    segments[1],
                    System.Globalization.CultureInfo.InvariantCulture) => Results.StatusCode(500),
                "redirect" => Results.Redirect("/ok/redirected"),
                _ => Results.NoContent(),
            };
        });
        await app.StartAsync();
        _app = app;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
