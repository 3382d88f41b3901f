using System.Text.Json.Serialization;
using Apportionment.Api.Infrastructure.Errors;
using Apportionment.Api.Infrastructure.Persistence;
using Apportionment.Api.Infrastructure.Pipeline;
using Apportionment.Api.Infrastructure.Security;
using Apportionment.Domain;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Apportionment.Api.Features.Partnerships;

/// <summary>
/// targets: the figure aimed for in each financial year ("2025-26": 90); baseline: before the partnership.
/// </summary>
public sealed record IndicatorDto(
    string Service, string Key, string Name, string Unit, string Polarity, string Frequency,
    IReadOnlyDictionary<string, decimal> Targets,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] decimal? Baseline,
    DateTimeOffset UpdatedAt)
{
    public static IndicatorDto From(Indicator i) => new(i.ServiceCode, i.Key, i.Name, i.Unit, i.Polarity, i.Frequency,
        new SortedDictionary<string, decimal>(i.Targets, StringComparer.Ordinal), i.Baseline, i.UpdatedAt);
}

/// <summary>Defines or redefines an indicator; its values are kept.</summary>
public sealed record PutIndicator(
    string? Name, string? Unit, string? Polarity, string? Frequency, IReadOnlyDictionary<string, decimal>? Targets,
    decimal? Baseline)
    : ICommand<IndicatorDto>, IAudited<IndicatorDto>
{
    [JsonIgnore] public string Service { get; init; } = "";
    [JsonIgnore] public string Key { get; init; } = "";

    [JsonIgnore] public string AuditEntity => "indicator";
    public string AuditEntityId(IndicatorDto response) => $"{response.Service}/{response.Key}";
}

public sealed class PutIndicatorValidator : IValidator<PutIndicator>
{
    public void Validate(PutIndicator request, ValidationErrors errors)
    {
        errors.Key("key", request.Key);
        errors.Name("name", request.Name, 200);
        errors.Name("unit", request.Unit, 32);
        if (request.Polarity is not (IndicatorRules.HigherIsBetter or IndicatorRules.LowerIsBetter))
        {
            errors.Add("polarity", $"Must be {IndicatorRules.HigherIsBetter} or {IndicatorRules.LowerIsBetter}.");
        }

        if (request.Frequency is not (IndicatorRules.Monthly or IndicatorRules.Quarterly))
        {
            errors.Add("frequency", $"Must be {IndicatorRules.Monthly} or {IndicatorRules.Quarterly}.");
        }

        if (request.Targets is null)
        {
            errors.Add(
                "targets",
                "Is required: the target for each financial year, e.g. {\"2025-26\": 90} (may be empty).");
        }
        else if (request.Targets.Count > 100)
        {
            errors.Add("targets", "At most 100 years.");
        }
        else
        {
            foreach (var (year, target) in request.Targets)
            {
                if (IndicatorRules.FinancialYear(year) is null)
                {
                    errors.Add("targets", $"'{Truncated(year)}' is not a financial year like 2025-26.");
                    continue;
                }

                errors.Figure($"targets.{year}", target);
            }
        }

        errors.Figure("baseline", request.Baseline, required: false);
    }

    private static string Truncated(string text) => text.Length > 20 ? text[..20] + "…" : text;
}

/// <summary>Only the host council (or the admin key) defines what its partnership is measured by.</summary>
public sealed class PutIndicatorHandler(
    ApportionmentDb db,
    Caller caller,
    TimeProvider clock) : ICommandHandler<PutIndicator, IndicatorDto>
{
    public async ValueTask<IndicatorDto> Handle(PutIndicator command, CancellationToken cancellationToken)
    {
        var service = await db.ServiceForAsync(command.Service, caller, cancellationToken);
        caller.EnsureActsFor(service.HostCouncil, "define indicators (only the host council may)");
        var indicator = await db.Indicators
            .SingleOrDefaultAsync(i => i.ServiceCode == service.Code && i.Key == command.Key, cancellationToken);
        var targets = command.Targets!.ToDictionary(
            t => IndicatorRules.FinancialYear(t.Key)!.ToString(),
            t => t.Value,
            StringComparer.Ordinal);
        if (indicator is null)
        {
            indicator = new Indicator
            {
                ServiceCode = service.Code, Key = command.Key, Name = "", Unit = "", Polarity = "", Frequency = command
                    .Frequency!, Targets = targets,
            };
            db.Indicators.Add(indicator);
        }
        else if (indicator.Frequency != command.Frequency
            && await db.IndicatorValues
                .AnyAsync(v => v.ServiceCode == service.Code && v.Key == command.Key, cancellationToken))
        {
            throw RequestValidationException.For(
                "frequency",
                $"'{command.Key}' already has {indicator.Frequency} values; its frequency cannot change.");
        }

        indicator.Name = command.Name!.Trim();
        indicator.Unit = command.Unit!.Trim();
        indicator.Polarity = command.Polarity!;
        indicator.Frequency = command.Frequency!;
        indicator.Targets = targets;
        indicator.Baseline = command.Baseline;
        indicator.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return IndicatorDto.From(indicator);
    }
}

public sealed record GetIndicator(string Service, string Key) : IQuery<IndicatorDto>;

public sealed class GetIndicatorHandler(ApportionmentDb db, Caller caller) : IQueryHandler<GetIndicator, IndicatorDto>
{
    public async ValueTask<IndicatorDto> Handle(GetIndicator query, CancellationToken cancellationToken)
    {
        var service = await db.ServiceForAsync(query.Service, caller, cancellationToken);
        var indicator = await db.Indicators.AsNoTracking()
            .SingleOrDefaultAsync(i => i.ServiceCode == service.Code && i.Key == query.Key, cancellationToken);
        return indicator is null
            ? throw new NotFoundException($"Indicator of '{service.Code}'", query.Key)
            : IndicatorDto.From(indicator);
    }
}
