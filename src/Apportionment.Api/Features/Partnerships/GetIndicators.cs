using System.Text.Json.Serialization;
using Apportionment.Api.Infrastructure.Persistence;
using Apportionment.Api.Infrastructure.Pipeline;
using Apportionment.Api.Infrastructure.Security;
using Apportionment.Domain;
using Apportionment.Domain.Indicators;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Apportionment.Api.Features.Partnerships;

/// <summary>
/// status: met, near (worse than the target by at most 5% of it), missed, no-value or no-target. trend: better, same or
/// worse than the same period a year earlier, by the indicator's polarity; null without last year's figure.
/// </summary>
public sealed record IndicatorResultDto(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] decimal? Actual,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] decimal? Target,
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] decimal? LastYear,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Trend);

public sealed record CouncilIndicatorResultDto(string Council, IndicatorResultDto Result);

/// <summary>One indicator for one of its periods: the service's own figure and each council's that gave one.</summary>
public sealed record IndicatorPeriodDto(
    string Key, string Name, string Unit, string Polarity, string Frequency, string Period,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] decimal? Baseline,
    IndicatorResultDto Service, IReadOnlyList<CouncilIndicatorResultDto> Councils);

public sealed record IndicatorReportDto(string Service, string Period, IReadOnlyList<IndicatorPeriodDto> Indicators);

/// <summary>Every indicator of the service for the month or quarter of it that ends the period asked for.</summary>
public sealed record GetIndicators(string Service, string? Period) : IQuery<IndicatorReportDto>;

public sealed class GetIndicatorsValidator : IValidator<GetIndicators>
{
    public void Validate(GetIndicators request, ValidationErrors errors)
    {
        if (request.Period is null)
        {
            errors.Add(
                "period",
                "Is required: a month (2025-05), a quarter (2025-26-Q1) or a financial year (2025-26).");
        }
        else
        {
            errors.PeriodText("period", request.Period);
        }
    }
}

public sealed class GetIndicatorsHandler(
    ApportionmentDb db,
    Caller caller) : IQueryHandler<GetIndicators, IndicatorReportDto>
{
    public async ValueTask<IndicatorReportDto> Handle(GetIndicators query, CancellationToken cancellationToken)
    {
        var service = await db.ServiceForAsync(query.Service, caller, cancellationToken);
        var period = Period.Parse(query.Period!);
        var indicators = await IndicatorReads.ForServiceAsync(db, service.Code, cancellationToken);
        var wanted = indicators.Select(i => IndicatorRules.ReportingPeriod(i.Frequency, period)).ToList();
        var values = await IndicatorReads.ValuesAsync(
            db,
            service.Code,
            wanted.SelectMany(p => new[] { p, IndicatorRules.YearEarlier(p) }),
            cancellationToken);
        var results = indicators.Select((i, n) => IndicatorReads.Assess(i, wanted[n], values)).ToList();
        return new IndicatorReportDto(service.Code, period.ToString(), results);
    }
}

/// <summary>The reads and assessment the indicators endpoint and the review pack share.</summary>
public static class IndicatorReads
{
    public static Task<List<Indicator>> ForServiceAsync(ApportionmentDb db, string service, CancellationToken ct) =>
        db.Indicators.AsNoTracking().Where(i => i.ServiceCode == service).OrderBy(i => i.Key).ToListAsync(ct);

    /// <summary>The values of the periods, by (key, period, council).</summary>
    public static async Task<Dictionary<(string, string, string), decimal>> ValuesAsync(
        ApportionmentDb db, string service, IEnumerable<Period> periods, CancellationToken ct)
    {
        var texts = periods.Select(p => p.ToString()).Distinct().ToList();
        var rows = await db.IndicatorValues.AsNoTracking()
            .Where(v => v.ServiceCode == service && texts.Contains(v.Period))
            .Select(v => new { v.Key, v.Period, v.Council, v.Value })
            .ToListAsync(ct);
        return rows.ToDictionary(v => (v.Key, v.Period, v.Council), v => v.Value);
    }

    public static IndicatorPeriodDto Assess(
        Indicator indicator,
        Period period,
        IReadOnlyDictionary<(string, string, string), decimal> values)
    {
        var (now, before) = (period.ToString(), IndicatorRules.YearEarlier(period).ToString());
        var target = IndicatorRules.TargetFor(indicator, period);
        var polarity = IndicatorRules.PolarityOf(indicator);
        IndicatorResultDto Result(string council)
        {
            decimal? actual = values.TryGetValue((indicator.Key, now, council), out var a) ? a : null;
            decimal? lastYear = values.TryGetValue((indicator.Key, before, council), out var l) ? l : null;
            var status = IndicatorAssessment.StatusOf(actual, target, polarity);
            return new IndicatorResultDto(actual, target, IndicatorRules.StatusText(status, actual, target), lastYear,
                IndicatorRules.TrendText(IndicatorAssessment.TrendOf(actual, lastYear, polarity)));
        }

        var councils = values.Keys
            .Where(k => k.Item1 == indicator.Key && k.Item2 == now && k.Item3 != IndicatorRules.WholeService)
            .Select(k => k.Item3)
            .Order(StringComparer
                .Ordinal)
            .Select(c => new CouncilIndicatorResultDto(c, Result(c)))
            .ToList();
        return new IndicatorPeriodDto(
            indicator.Key,
            indicator.Name,
            indicator.Unit,
            indicator.Polarity,
            indicator.Frequency,
            now,
            indicator.Baseline,
            Result(IndicatorRules.WholeService),
            councils);
    }
}
