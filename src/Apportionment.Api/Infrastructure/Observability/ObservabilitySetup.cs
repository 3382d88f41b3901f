using System.Diagnostics;
using Microsoft.Extensions.Logging.Console;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Apportionment.Api.Infrastructure.Observability;

/// <summary>
/// JSON console logs with scopes; OpenTelemetry traces and metrics for ASP.NET Core, HttpClient and Npgsql;
/// OTLP export only when OTEL_EXPORTER_OTLP_ENDPOINT is set; Prometheus text at /metrics (admin key required).
/// </summary>
public static class ObservabilitySetup
{
    public const string ServiceName = "apportionment";
    public const string MetricsPath = "/metrics";
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        builder.Logging.AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
        // JSON for log collectors by default; Logging:Console:FormatterName=simple (run.sh sets it on a terminal)
        // gives one readable line per entry. AddJsonConsole would otherwise override the configured name.
        if (builder.Configuration["Logging:Console:FormatterName"] is { Length: > 0 } formatter)
        {
            builder.Services.Configure<ConsoleLoggerOptions>(o => o.FormatterName = formatter);
        }

        builder.Services.Configure<SimpleConsoleFormatterOptions>(o =>
        {
            o.SingleLine = true;
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "HH:mm:ss ";
        });

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(
                ServiceName,
                serviceVersion: typeof(ObservabilitySetup).Assembly.GetName().Version?.ToString()))
            .WithMetrics(m => m
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddPrometheusExporter());

        // Traces go somewhere only over OTLP; without an exporter, recording a span per request and per SQL command
        // would cost the posting hot path for nothing.
        if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointVariable]))
        {
            // Endpoint, protocol and headers come from the standard OTEL_EXPORTER_OTLP_* variables.
            telemetry.WithTracing(t => t
                    .AddAspNetCoreInstrumentation(o => o.Filter = http => !IsProbe(http.Request.Path))
                    .AddHttpClientInstrumentation()
                    .AddNpgsql())
                .UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>
    /// After authentication: every log line of the request carries its RequestId and the caller's ApiKeyId (the
    /// key's id, never the key), or for a bearer token its TokenIssuer and TokenSubject (never the token), and one line
    /// records the request's outcome. Maps the Prometheus endpoint.
    /// </summary>
    public static WebApplication UseObservability(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Apportionment.Requests");
        app.Use(async (http, next) =>
        {
            var scope = new RequestLogScope(http.TraceIdentifier, http.User.FindFirst(ApiKeyClaims.KeyId)?.Value,
                http.User.FindFirst(TokenClaims.Issuer)?.Value, http.User.FindFirst(TokenClaims.Subject)?.Value);
            var started = Stopwatch.GetTimestamp();
            var insideScope = false;
            if (!IsProbe(http.Request.Path))
            {
                // When the response starts its status is final. The exception handler writes its problem outside
                // this middleware, so outside the scope: push it again there.
                http.Response.OnStarting(() =>
                {
                    using (insideScope ? null : logger.BeginScope(scope))
                    {
                        logger.LogInformation("{Method} {Path} responded {StatusCode} in {ElapsedMs:0.0} ms",
                            http.Request.Method, http.Request.Path.Value, http.Response.StatusCode, Stopwatch
                                .GetElapsedTime(started)
                                .TotalMilliseconds);
                    }

                    return Task.CompletedTask;
                });
            }

            using (logger.BeginScope(scope))
            {
                insideScope = true;
                try
                {
                    await next(http);
                }
                finally
                {
                    insideScope = false;
                }
            }
        });

        // Scrapers present an admin key in X-Api-Key; the endpoint is never anonymous on the public port.
        app.MapPrometheusScrapingEndpoint(MetricsPath).RequireAuthorization(Scopes.Admin).DisableRateLimiting();
        return app;
    }

    private static bool IsProbe(PathString path)
        => path.StartsWithSegments("/health") || path.StartsWithSegments(MetricsPath);
}

/// <summary>The request's log scope: structured values for JSON logs, and readable text for plain ones.</summary>
public sealed class RequestLogScope(
    string requestId,
    string? apiKeyId,
    string? tokenIssuer = null,
    string? tokenSubject = null)
    : IReadOnlyList<KeyValuePair<string, object?>>
{
    // A token's issuer and subject appear only for a token, so a key's lines look as they always have.
    public int Count => tokenSubject is null ? 2 : 4;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("RequestId", requestId),
        1 => new("ApiKeyId", apiKeyId),
        2 when tokenSubject is not null => new("TokenIssuer", tokenIssuer),
        3 when tokenSubject is not null => new("TokenSubject", tokenSubject),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => tokenSubject is null
        ? $"RequestId:{requestId} ApiKeyId:{apiKeyId ?? "(none)"}"
        : $"RequestId:{requestId} TokenIssuer:{tokenIssuer} TokenSubject:{tokenSubject}";
}
