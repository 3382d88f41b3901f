using Microsoft.AspNetCore.Hosting;

namespace Apportionment.Api.Tests.Webhooks;

/// <summary>
/// Receivers on 127.0.0.1 allowed, and the dispatcher's whole schedule squeezed into well under a second.
/// </summary>
public class WebhookApiFactory : ApiFactory
{
    public const int MaxAttempts = 5;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Webhooks:AllowedHosts:0", "127.0.0.1");
        builder.UseSetting("Webhooks:PollInterval", "00:00:00.050");
        builder.UseSetting("Webhooks:FirstRetryDelay", "00:00:00.050");
        builder.UseSetting("Webhooks:MaxRetryDelay", "00:00:00.200");
        builder.UseSetting(
            "Webhooks:MaxAttempts",
            MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Webhooks:AttemptTimeout", "00:00:05");
    }
}

/// <summary>No dispatcher of its own: a test runs dispatchers by hand, several against the one database.</summary>
public sealed class ManualDispatchFactory : WebhookApiFactory
{
    public const int BatchSize = 5;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Webhooks:DispatcherEnabled", "false");
        builder.UseSetting("Webhooks:BatchSize", BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
