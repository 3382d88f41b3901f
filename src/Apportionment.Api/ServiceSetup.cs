using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Apportionment.Api.Features;
using Apportionment.Api.Features.Dashboard;
using Apportionment.Api.Infrastructure;
using Apportionment.Api.Infrastructure.Health;
using Apportionment.Api.Infrastructure.Input;
using Apportionment.Api.Infrastructure.Observability;
using Apportionment.Api.Infrastructure.OpenApi;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Apportionment.Api;

public static class ServiceSetup
{
    public static WebApplicationBuilder AddApportionment(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;

        var maxBody = configuration.GetValue<long>("Limits:MaxRequestBodyBytes", 32 * 1024 * 1024);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = maxBody);
        services.Configure<FormOptions>(o => o.MultipartBodyLengthLimit = maxBody);
        services.Configure<HostOptions>(
            o => o.ShutdownTimeout = TimeSpan.FromSeconds(configuration.GetValue("Shutdown:TimeoutSeconds", 30)));

        services.AddSingleton(TimeProvider.System);
        builder.AddObservability();
        services.AddApportionmentDatabase(configuration);
        services.AddApportionmentSecurity(configuration);

        services.ConfigureHttpJsonOptions(o => ConfigureJson(o.SerializerOptions));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        // Before AddProblemDetails, so it is the writer chosen whatever the Accept header.
        services.AddSingleton<IProblemDetailsWriter, ProblemJsonWriter>();
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            c.ProblemDetails.Instance ??= c.HttpContext.Request.Path;
            c.ProblemDetails.Extensions["traceId"] = c.HttpContext.TraceIdentifier;
        });
        services.AddExceptionHandler<ProblemExceptionHandler>();

        services.AddMediator(o =>
        {
            o.ServiceLifetime = ServiceLifetime.Scoped;
            o.GenerateTypesAsInternal = true;
            // Order matters: log everything, reject bad input before a transaction opens, replay a write already made
            // (outside its transaction, once the failed attempt has rolled back), then write once, its answer and audit
            // event with it.
            o.PipelineBehaviors =
            [
                typeof(LoggingBehaviour<,>),
                typeof(ValidationBehaviour<,>),
                typeof(IdempotencyBehaviour<,>),
                typeof(TransactionBehaviour<,>),
                typeof(IdempotentAnswerBehaviour<,>),
                typeof(AuditBehaviour<,>),
            ];
        });
        services.AddScoped<IdempotencyClaims>();
        services.AddScoped<PendingRows>();
        services.AddValidators();
        services.AddFeatureServices();

        services.AddHealthChecks().AddCheck<DatabaseReadyCheck>("database", tags: ["ready"]);
        services.AddOpenApi(o => o.AddApportionmentDocument());
        return builder;
    }

    public static void ConfigureJson(JsonSerializerOptions o)
    {
        // Money arrives as JSON numbers read straight into decimal; strings, NaN and Infinity are refused.
        o.NumberHandling = JsonNumberHandling.Strict;
        o.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        o.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        o.Converters.Add(new MoneyJsonConverter());
        // {"amount":1,"amount":1000} is ambiguous: refuse it rather than let the last one silently win.
        o.AllowDuplicateProperties = false;
        o.TypeInfoResolver = (o.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver())
            .WithAddedModifier(MoneyJsonConverter.UsePercentPlaces)
            // NUL and other control characters never reach the ledger, in whichever field they arrive.
            .WithAddedModifier(InputTextChecks.RefuseControlCharacters);
    }

    private static void AddValidators(this IServiceCollection services)
    {
        var validators = typeof(ServiceSetup).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsGenericTypeDefinition: false })
            .SelectMany(t => t.GetInterfaces().Where(
                i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IValidator<>)).Select(i => (i, t)));
        foreach (var (contract, implementation) in validators)
        {
            services.AddSingleton(contract, implementation);
        }
    }

    public static WebApplication UseApportionment(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // Open, like the document it reads: served before authentication.
        app.UseSwaggerUI(o =>
        {
            o.SwaggerEndpoint("/openapi/v1.json", "Apportionment v1");
            o.RoutePrefix = "swagger";
        });
        app.UseDashboard();
        app.UseAuthentication();
        app.UseObservability();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseMiddleware<ReadAfterWriteMiddleware>();

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous()
            .DisableRateLimiting();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains("ready"),
            ResultStatusCodes = { [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable },
        }).AllowAnonymous().DisableRateLimiting();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapOpenApi("/openapi/{documentName}.yaml").AllowAnonymous();

        app.MapGroup("/api/v1").AddEndpointFilter<InputTextFilter>().MapApportionmentApi();
        app.MapDashboardEntry();
        return app;
    }
}
