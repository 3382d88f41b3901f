using System.Text.Json.Serialization;

namespace Apportionment.Api.Features.Reports;

public sealed record BaselineDto(
    string Service,
    string Council,
    decimal AnnualCost,
    string? Note,
    DateTimeOffset UpdatedAt);

/// <summary>
/// What a council spent on the service alone, per year, before the partnership: the yardstick for savings.
/// </summary>
public sealed record PutBaseline(decimal? AnnualCost, string? Note) : ICommand<BaselineDto>, IAudited<BaselineDto>
{
    [JsonIgnore] public string Service { get; init; } = "";
    [JsonIgnore] public string Council { get; init; } = "";

    [JsonIgnore] public string AuditEntity => "baseline";
    public string AuditEntityId(BaselineDto response) => $"{response.Service}/{response.Council}";
}

public sealed class PutBaselineValidator : IValidator<PutBaseline>
{
    public void Validate(PutBaseline request, ValidationErrors errors)
    {
        errors.Money("annualCost", request.AnnualCost);
        if (request.AnnualCost < 0)
        {
            errors.Add("annualCost", "Must be 0 or more.");
        }

        errors.Text("note", request.Note, 1000, required: false);
    }
}

public sealed class PutBaselineHandler(
    ApportionmentDb db,
    Caller caller,
    TimeProvider clock) : ICommandHandler<PutBaseline, BaselineDto>
{
    public async ValueTask<BaselineDto> Handle(PutBaseline command, CancellationToken cancellationToken)
    {
        var service = await db.ServiceForAsync(command.Service, caller, cancellationToken);
        if (service.Members.All(m => m.Council != command.Council))
        {
            throw new NotFoundException($"Member of '{service.Code}'", command.Council);
        }

        var baseline = await db.Baselines.SingleOrDefaultAsync(
            b => b.ServiceCode == service.Code && b.Council == command.Council,
            cancellationToken);
        if (baseline is null)
        {
            baseline = new CouncilBaseline { ServiceCode = service.Code, Council = command.Council };
            db.Baselines.Add(baseline);
        }

        baseline.AnnualCost = command.AnnualCost!.Value;
        baseline.Note = command.Note;
        baseline.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return new BaselineDto(service.Code, baseline.Council, baseline.AnnualCost, baseline.Note, baseline.UpdatedAt);
    }
}

/// <summary>Without a baseline for the council, baseline and saving are null (shown, not omitted).</summary>
public sealed record CouncilSavingDto(
    string Council,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] decimal? Baseline,
    decimal Share,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] decimal? Saving)
{
    public static CouncilSavingDto From(CouncilSaving c) => new(c.Council, c.Baseline, c.Share, c.Saving);
}

/// <summary>Totals over the rows that have a baseline, so baseline − share = saving.</summary>
public sealed record SavingsTotalsDto(decimal Baseline, decimal Share, decimal Saving);

/// <summary>monthsCounted: the months baseline and share cover, those that have ended and hold costs.</summary>
public sealed record ServiceSavingsDto(
    string Service, string Period, IReadOnlyList<CouncilSavingDto> Councils, SavingsTotalsDto Totals,
    int CouncilsWithoutBaseline, IReadOnlyList<string> MonthsCounted)
    : ICsvExport
{
    public CsvFile ToCsv()
    {
        var csv = new CsvFile(
            $"savings-{Service}-{Period}.csv",
            "service",
            "period",
            "council",
            "baseline",
            "share",
            "saving");
        foreach (var c in Councils)
        {
            csv.Row(Service, Period, c.Council, c.Baseline, c.Share, c.Saving);
        }

        return csv.Row(Service, Period, "TOTAL", Totals.Baseline, Totals.Share, Totals.Saving);
    }
}

public sealed record GetServiceSavings(string Service, string Period) : IQuery<ServiceSavingsDto>;

public sealed class GetServiceSavingsHandler(
    [ReadDb] ApportionmentDb db,
    Caller caller,
    SavingsReader savings) : IQueryHandler<GetServiceSavings, ServiceSavingsDto>
{
    public async ValueTask<ServiceSavingsDto> Handle(GetServiceSavings query, CancellationToken cancellationToken)
    {
        var service = await db.ServiceForAsync(query.Service, caller, cancellationToken);
        var report = await savings.ForServiceAsync(service.Code, Period.Parse(query.Period), cancellationToken);
        return new ServiceSavingsDto(
            service.Code,
            report.Period.ToString(),
            report.Councils.Select(CouncilSavingDto.From).ToList(),
            new SavingsTotalsDto(report.Baseline, report.Share, report.Saving),
            report.CouncilsWithoutBaseline,
            report
                .MonthsCounted
                .Select(m => m.ToString())
                .ToList());
    }
}

/// <summary>
/// Without a baseline for the service, baseline and saving are null (shown, not omitted). Baseline and share cover the
/// service's months counted: those that have ended and hold costs.
/// </summary>
public sealed record ServiceSavingLineDto(
    string Service,
    string ServiceName,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] decimal? Baseline,
    decimal Share,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] decimal? Saving,
    IReadOnlyList<string> MonthsCounted);

/// <summary>
/// Services without a baseline are counted and left out of the totals; a service with a month that cannot be
/// apportioned yet is left out and listed in unapportioned, as on the recharge statement.
/// </summary>
public sealed record CouncilSavingsDto(
    string Council, string Period, IReadOnlyList<ServiceSavingLineDto> Services, SavingsTotalsDto Totals,
    int ServicesWithoutBaseline, IReadOnlyList<UnapportionedDto> Unapportioned,
    IReadOnlyList<string> MonthsCounted)
    : ICsvExport
{
    public CsvFile ToCsv()
    {
        var csv = new CsvFile(
            $"savings-{Council}-{Period}.csv",
            "council",
            "period",
            "service",
            "serviceName",
            "baseline",
            "share",
            "saving");
        foreach (var l in Services)
        {
            csv.Row(Council, Period, l.Service, l.ServiceName, l.Baseline, l.Share, l.Saving);
        }

        csv.Row(Council, Period, "TOTAL", CsvCell.Empty, Totals.Baseline, Totals.Share, Totals.Saving);
        return Unapportioned.Count == 0 ? csv : csv.Row(Council, Period, "NOTE", Unapportioned.Note());
    }
}

/// <summary>One council's savings across all its shared services.</summary>
public sealed record GetCouncilSavings(string Council, string Period) : IQuery<CouncilSavingsDto>;

public sealed class GetCouncilSavingsHandler(
    Caller caller,
    SavingsReader savings) : IQueryHandler<GetCouncilSavings, CouncilSavingsDto>
{
    public async ValueTask<CouncilSavingsDto> Handle(GetCouncilSavings query, CancellationToken cancellationToken)
    {
        caller.EnsureActsFor(query.Council, "read savings");
        var council = await savings.ForCouncilAsync(query.Council, Period.Parse(query.Period), cancellationToken);
        var lines = council.Services
            .Select(s => new ServiceSavingLineDto(
                s.Service,
                s.ServiceName,
                s.Saving.Baseline,
                s.Saving.Share,
                s.Saving.Saving,
                s.MonthsCounted.Select(m => m.ToString()).ToList()))
            .ToList();
        var compared = lines.Where(l => l.Baseline is not null).ToList();
        return new CouncilSavingsDto(query.Council, council.Period.ToString(), lines,
            new SavingsTotalsDto(
                compared.Sum(l => l.Baseline!.Value),
                compared.Sum(l => l.Share),
                compared.Sum(l => l.Saving!.Value)),
            lines.Count - compared.Count, council.Unapportioned, lines.SelectMany(l => l.MonthsCounted).Distinct()
                .Order(StringComparer.Ordinal)
                .ToList());
    }
}

public static class SavingsEndpoints
{
    public static void MapSavings(this RouteGroupBuilder reports)
    {
        reports.MapPut("/shared-services/{code}/baselines/{council}",
            async (string code, string council, PutBaseline command, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(command with { Service = code, Council = council }, ct)))
            .WithName("PutBaseline").WithSummary("Set what a council spent on the service alone, per year.")
            .RequireAuthorization(Scopes.Admin);

        reports.MapGet("/shared-services/{code}/savings/{period}",
            async (string code, string period, HttpRequest request, IMediator mediator, CancellationToken ct) =>
                Csv.OkOrCsv(request, await mediator.Send(new GetServiceSavings(code, period), ct)))
            .WithName("GetServiceSavings").WithSummary(
                "Each council's saving against its stand-alone baseline, for a period.")
            .Produces<ServiceSavingsDto>(StatusCodes.Status200OK, "application/json", "text/csv")
            .RequireAuthorization(Scopes.StatementsRead);

        reports.MapGet("/councils/{code}/savings/{period}",
            async (string code, string period, HttpRequest request, IMediator mediator, CancellationToken ct) =>
                Csv.OkOrCsv(request, await mediator.Send(new GetCouncilSavings(code, period), ct)))
            .WithName("GetCouncilSavings").WithSummary(
                "A council's savings across all its shared services, for a period.")
            .Produces<CouncilSavingsDto>(StatusCodes.Status200OK, "application/json", "text/csv")
            .RequireAuthorization(Scopes.StatementsRead);
    }
}
