using System.Text.Json;
using System.Text.Json.Serialization;

namespace Apportionment.Api.Features.Budgets;

/// <summary>
/// Sets a service's net budget for a financial year with its monthly profile: "flat" (spread evenly over the months the
/// service runs) or twelve amounts, April to March, that add up to the budget exactly. Each change is a new version.
/// </summary>
public sealed record PutBudget(decimal? Budget, JsonElement? Profile) :
    ICommand<BudgetDto>,
    IAudited<BudgetDto>,
    IIdempotent
{
    [JsonIgnore] public string Service { get; init; } = "";
    [JsonIgnore] public string FinancialYear { get; init; } = "";
    [JsonIgnore] public string? IdempotencyKey { get; init; }

    [JsonIgnore] public string AuditEntity => "budget";
    public string AuditEntityId(BudgetDto response)
        => $"{response.Service}/{response.FinancialYear}/v{response.Version}";

    /// <summary>
    /// The twelve custom amounts, or null for "flat" (or anything unreadable, which the validator reports).
    /// </summary>
    public IReadOnlyList<decimal>? CustomMonths() =>
        Profile is { ValueKind: JsonValueKind.Array } months
            && months.EnumerateArray().All(e => e.ValueKind == JsonValueKind.Number && e.TryGetDecimal(out _))
            ? months.EnumerateArray().Select(e => e.GetDecimal()).ToList()
            : null;

    public bool IsFlatProfile()
        => Profile is { ValueKind: JsonValueKind.String } text && text.GetString() == BudgetRules.Flat;
}

public sealed class PutBudgetValidator : IValidator<PutBudget>
{
    public void Validate(PutBudget request, ValidationErrors errors)
    {
        errors.FinancialYearText("financialYear", request.FinancialYear);
        errors.Money("budget", request.Budget);
        if (request.Budget < 0m)
        {
            errors.Add("budget", "Must be 0 or more: a budget is what the service is expected to cost.");
        }

        if (!request.IsFlatProfile() && request.CustomMonths() is null)
        {
            errors.Add(
                "profile",
                "Must be \"flat\" or an array of twelve monthly amounts, April to March, adding up to the budget.");
        }
        else if (request.CustomMonths()?.Any(m => m < 0m) == true)
        {
            errors.Add("profile", "Monthly amounts must be 0 or more.");
        }
    }
}

public sealed class PutBudgetHandler(
    ApportionmentDb db,
    Caller caller,
    TimeProvider clock) : ICommandHandler<PutBudget, BudgetDto>
{
    public async ValueTask<BudgetDto> Handle(PutBudget command, CancellationToken cancellationToken)
    {
        var service = await db.ServiceForAsync(command.Service, caller, cancellationToken);
        caller.EnsureActsFor(service.HostCouncil, "set budgets (only the host council may)");
        var year = command.FinancialYear.ToFinancialYear();
        var furthest = Month.FromDate(clock.CurrentMonth()).FinancialYearStart + BudgetRules.MostYearsAhead;
        if (year.FinancialYearStart > furthest)
        {
            throw RequestValidationException.For("financialYear", "Budgets are set at most "
                + $"{BudgetRules.MostYearsAhead} years ahead (up to {Period.FinancialYear(furthest)}).");
        }

        var running = BudgetRules.RunningPositions(service, year)
            ?? throw RequestValidationException.For("financialYear", $"'{service.Code}' does not run in {year}.");
        var budget = command.Budget!.Value;
        var custom = command.CustomMonths();
        if (custom is not null)
        {
            var errors = BudgetProfile.Validate(budget, custom, "profile", running.First, running.Last);
            if (errors.Count > 0)
            {
                throw new RequestValidationException(errors);
            }
        }

        var profile = custom ?? BudgetProfile.Flat(budget, running.First, running.Last);
        await EnsureYearOpenAsync(service, year, running, cancellationToken);

        var latest = await db.Budgets
            .Where(b => b.ServiceCode == service.Code && b.FinancialYear == year.FinancialYearStart)
            .OrderByDescending(b => b.Version)
            .FirstOrDefaultAsync(cancellationToken);
        var kind = custom is null ? BudgetRules.Flat : BudgetRules.Custom;
        var target = await BudgetReads.TargetForAsync(db, service.Code, year.FinancialYearStart, cancellationToken);
        if (latest is not null && latest.Amount == budget && latest.ProfileKind == kind
            && latest.Profile.SequenceEqual(profile))
        {
            // Setting the same budget again changes nothing: no new version.
            return BudgetDto.From(latest, target);
        }

        var version = new BudgetVersion
        {
            ServiceCode = service.Code,
            FinancialYear = year.FinancialYearStart,
            Version = (latest?.Version ?? 0) + 1,
            Amount = Money.Normalise(budget),
            ProfileKind = kind,
            Profile = profile.Select(Money.Normalise).ToArray(),
            SetAt = clock.GetUtcNow(),
            SetByKey = caller.KeyId,
        };
        db.Budgets.Add(version);
        await db.SaveChangesAsync(cancellationToken);
        // A new base-year budget moves the target of that year too.
        target = await BudgetReads.TargetForAsync(db, service.Code, year.FinancialYearStart, cancellationToken);
        return BudgetDto.From(version, target);
    }

    /// <summary>
    /// Once every month of the year the service runs in is closed, its outturn is final: the budget cannot change.
    /// </summary>
    private async Task EnsureYearOpenAsync(
        SharedService service,
        Period year,
        (int First, int Last) running,
        CancellationToken ct)
    {
        // Shares CloseMonth's lock, so the year cannot be closed while its budget is being set.
        await db.LockSharedAsync(service.Code, ct);
        var (first, last) = (year.Months[running.First].FirstDay, year.Months[running.Last].FirstDay);
        var closed = await db.ClosedMonths
            .CountAsync(c => c.ServiceCode == service.Code && c.Month >= first && c.Month <= last, ct);
        if (closed == running.Last - running.First + 1)
        {
            throw new ConflictException($"Every month of {year} is closed for '{service.Code}': its outturn is final "
                + "and its budget cannot change.", ProblemTypes.ClosedPeriod);
        }
    }
}

public static class PutBudgetEndpoint
{
    public static void MapPutBudget(this RouteGroupBuilder budgets) =>
        budgets.MapPut("/{financialYear}", async (string code, string financialYear, PutBudget command,
                [Microsoft.AspNetCore.Mvc.FromHeader(
                    Name = "Idempotency-Key")] string? idempotencyKey, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(
                    command with { Service = code, FinancialYear = financialYear, IdempotencyKey = idempotencyKey },
                    ct)))
            .WithName(
                "PutBudget").WithSummary("Set the service's net budget for a financial year, with a flat or custom "
                    + "monthly profile (a new version).")
            .RequireAuthorization(Scopes.BudgetsWrite);
}
