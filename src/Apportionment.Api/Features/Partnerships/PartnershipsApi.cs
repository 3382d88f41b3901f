using Apportionment.Api.Infrastructure.Security;
using Mediator;

namespace Apportionment.Api.Features.Partnerships;

/// <summary>Performance indicators, the governance register and the committee's review pack.</summary>
public static class PartnershipsApi
{
    public static RouteGroupBuilder MapPartnerships(this RouteGroupBuilder api)
    {
        var service = api.MapGroup("/shared-services/{code}").WithTags("Partnership review");
        service.MapPut("/indicators/{key}",
            async (string code, string key, PutIndicator command, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(command with { Service = code, Key = key }, ct)))
            .WithName("PutIndicator").WithSummary(
                "Define a performance indicator: name, unit, polarity, frequency, a target per year and a baseline.")
            .RequireAuthorization(Scopes.BudgetsWrite);
        service.MapGet("/indicators/{key}", async (string code, string key, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new GetIndicator(code, key), ct)))
            .WithName("GetIndicator").WithSummary("A performance indicator's definition and targets.")
            .RequireAuthorization(Scopes.StatementsRead);
        service.MapPut("/indicators/{key}/values/{period}",
            async (string code, string key, string period, PutIndicatorValue command,
                IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(command with { Service = code, Key = key, Period = period }, ct)))
            .WithName("PutIndicatorValue").WithSummary(
                "Give an indicator's figure for a month or quarter, for the service or for one council.")
            .RequireAuthorization(Scopes.CostsWrite);
        service.MapGet("/indicators", async (string code, string? period, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new GetIndicators(code, period), ct)))
            .WithName("GetIndicators").WithSummary(
                "Each indicator's actual against target, with status and the trend on a year earlier.")
            .RequireAuthorization(Scopes.StatementsRead);

        service.MapPut("/governance",
            async (string code, PutGovernance command, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(command with { Service = code }, ct)))
            .WithName("PutGovernance").WithSummary(
                "Record the partnership's governance: legal basis, term, exit notice, next review, business case.")
            .RequireAuthorization(Scopes.BudgetsWrite);
        service.MapGet("/governance", async (string code, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new GetGovernance(code), ct)))
            .WithName("GetGovernance").WithSummary("The partnership's governance facts.")
            .RequireAuthorization(Scopes.StatementsRead);

        api.MapGroup("/councils/{code}").WithTags("Partnership review")
            .MapGet("/partnerships", async (string code, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new GetCouncilPartnerships(code), ct)))
            .WithName("GetCouncilPartnerships").WithSummary(
                "A council's partnerships with their governance facts, flagging reviews and ends due within six "
                    + "months.")
            .RequireAuthorization(Scopes.StatementsRead);

        service.MapReviewPack();
        return api;
    }

    public static IServiceCollection AddPartnerships(this IServiceCollection services)
    {
        services.AddScoped<ReviewPackReader>();
        services.AddSingleton<ReviewDueCheck>();
        services.AddHostedService(sp => sp.GetRequiredService<ReviewDueCheck>());
        return services;
    }
}
