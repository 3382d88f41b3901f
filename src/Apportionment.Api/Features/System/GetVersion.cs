using System.Reflection;
using Apportionment.Api.Infrastructure.OpenApi;

namespace Apportionment.Api.Features.System;

/// <summary>
/// The service's build and the PostgreSQL it talks to: the simplest request through the whole pipeline.
/// </summary>
public sealed record GetVersion : IQuery<VersionInfo>;

public sealed record VersionInfo(string Service, string Version, string Database) : IFreeFormText;

public sealed class GetVersionHandler(ApportionmentDb db) : IQueryHandler<GetVersion, VersionInfo>
{
    public async ValueTask<VersionInfo> Handle(GetVersion query, CancellationToken cancellationToken)
    {
        var database = await db.Database.SqlQueryRaw<string>("select version() as \"Value\"")
            .SingleAsync(cancellationToken);
        var version = typeof(GetVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?
            .InformationalVersion ?? "unknown";
        return new VersionInfo("apportionment", version, database);
    }
}

public static class VersionEndpoints
{
    public static RouteGroupBuilder MapVersion(this RouteGroupBuilder api)
    {
        api.MapGet("/version", async (IMediator mediator, CancellationToken ct) => TypedResults.Ok(
            await mediator.Send(new GetVersion(), ct)))
            .WithName("GetVersion").WithTags("System").WithSummary(
                "The service version and the PostgreSQL version it runs against.")
            .RequireAuthorization();
        return api;
    }
}
