using Apportionment.Api.Features.Webhooks;
using Microsoft.Extensions.Options;

namespace Apportionment.Api.Infrastructure.Webhooks;

public static class WebhookSetup
{
    /// <summary>
    /// The outbox writer, the dispatcher and its HttpClient: no redirects, no cookies, connections only to checked
    /// addresses.
    /// </summary>
    public static IServiceCollection AddWebhookDelivery(this IServiceCollection services)
    {
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section);
        services.AddScoped<WebhookOutbox>();
        services.AddSingleton<WebhookSender>();
        services.AddHostedService<WebhookDispatcher>();
        services.AddHttpClient(WebhookSender.ClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var options = sp.GetRequiredService<IOptions<WebhookOptions>>().Value;
                return new SocketsHttpHandler
                {
                    AllowAutoRedirect = false,
                    UseCookies = false,
                    MaxResponseHeadersLength = 16,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                    ConnectCallback = (context, ct) => EndpointSafety.ConnectAsync(context, options, ct),
                };
            })
            // The default request logs would write receivers' URLs (which may carry tokens) at Information.
            .RemoveAllLoggers();
        return services;
    }
}
