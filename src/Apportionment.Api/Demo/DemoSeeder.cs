using System.Text.Json;
using Apportionment.Api.Features.Activity;
using Apportionment.Api.Features.Agreements;
using Apportionment.Api.Features.Budgets;
using Apportionment.Api.Features.Costs;
using Apportionment.Api.Features.Councils;
using Apportionment.Api.Features.Journals;
using Apportionment.Api.Features.Periods;
using Apportionment.Api.Features.Reports;
using Apportionment.Api.Features.Services;

namespace Apportionment.Api.Demo;

/// <summary>
/// Loads <see cref="DemoData"/> through the real Mediator commands — validation, audit trail and ledger triggers all
/// apply — as the ambient system admin identity, in one transaction, once: if any demo service already exists the
/// load is skipped, so a second start changes nothing.
/// </summary>
public static class DemoSeeder
{
    public const string SystemPurpose = "demo-data";

    /// <summary>APPORTIONMENT_DEMO=true (environment or configuration key), or Demo:Enabled=true.</summary>
    public static bool IsEnabled(IConfiguration configuration) =>
        configuration.GetValue("APPORTIONMENT_DEMO", false) || configuration.GetValue("Demo:Enabled", false);

    /// <summary>Loads the demo data unless it is already there; true if this call loaded it.</summary>
    public static async Task<bool> SeedAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Apportionment.Demo");
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ApportionmentDb>();
        var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
        using var system = SystemCaller.Begin(SystemPurpose);

        var strategy = db.Database.CreateExecutionStrategy();
        var loaded = await strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // Two instances starting together: the second waits here, then sees the marker.
            await db.Database
                .ExecuteSqlRawAsync("select pg_advisory_xact_lock(hashtext('apportionment:demo-data'))", ct);
            var codes = DemoData.Services.Select(s => s.Code).ToList();
            if (await db.SharedServices.AnyAsync(s => codes.Contains(s.Code), ct))
            {
                return false;
            }

            // The commands see the open transaction and join it instead of committing their own.
            await LoadAsync(db, mediator, ct);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return true;
        }, cancellationToken);

        if (loaded)
        {
            logger.LogInformation("Demo data loaded: {Councils} councils, {Services} shared services, {Months} months "
                + "of costs from {First}",
                DemoData.Councils.Count, DemoData.Services.Count, DemoData.Months, DemoData.FirstMonth);
        }
        else
        {
            logger.LogInformation("Demo data already present; nothing loaded");
        }

        return loaded;
    }

    private static ProposeAgreement Proposal(DemoData.DemoService service, string start)
    {
        var method = service.Driver is null ? "fixed" : "driver";
        if (service.Supports is { } support)
        {
            var percents = service.Driver is null;
            return new ProposeAgreement(start, method,
                percents ? support.Councils.Select(c => new ShareDto(c.Council, c.Percent)).ToList() : null,
                percents ? null : support.Councils.Select(c => c.Council).ToList(),
                service.Driver,
                support.Services.Select(s => new SupportDto(s.Council, percents ? s.Percent : null)).ToList());
        }

        return service.FixedShares is { } shares
            ? new ProposeAgreement(
                start,
                method,
                shares.Select(s => new ShareDto(s.Council, s.Percent)).ToList(),
                null,
                null)
            : new ProposeAgreement(start, method, null, service.Members, service.Driver);
    }

    private static async Task LoadAsync(ApportionmentDb db, IMediator mediator, CancellationToken ct)
    {
        var existing = await db.Councils.Select(c => c.Code).ToListAsync(ct);
        foreach (var council in DemoData.Councils.Where(c => !existing.Contains(c.Code)))
        {
            await mediator.Send(new CreateCouncil(council.Code, council.Name), ct);
        }

        var start = DemoData.FirstMonth.ToString();
        foreach (var service in DemoData.Services)
        {
            await mediator.Send(new CreateSharedService(
                service.Code,
                service.Name,
                service.Host,
                service.Members,
                start,
                null,
                service.Description), ct);
        }

        // Agreements once every service exists: support services name the services they support.
        foreach (var service in DemoData.Services)
        {
            var agreement = await mediator.Send(Proposal(service, start) with { Service = service.Code }, ct);
            foreach (var council in agreement.AwaitingApproval)
            {
                await mediator.Send(new ApproveAgreement(council) { Service = service.Code, Id = agreement.Id }, ct);
            }

            foreach (var (council, annual) in service.Baselines)
            {
                await mediator.Send(
                    new PutBaseline(annual, service.BaselineNote) { Service = service.Code, Council = council },
                    ct);
            }

            foreach (var year in DemoData.FinancialYears)
            {
                await mediator.Send(new PutBudget(
                    DemoData.BudgetFor(service, year),
                    JsonSerializer.SerializeToElement(BudgetRules.Flat))
                {
                    Service = service.Code,
                    FinancialYear = year
                }, ct);
            }
        }

        var target = DemoData.Target;
        await mediator.Send(
            new PutReductionTarget(target.ReductionPercent, target.BaseYear) { Service = target.Service },
            ct);
        var pending = DemoData.Proposal;
        await mediator.Send(new ProposeAgreement(
            pending.EffectiveFrom.ToString(),
            "fixed",
            pending.Shares.Select(s => new ShareDto(s.Council, s.Percent)).ToList(),
            null,
            null)
        {
            Service = pending.Service,
        }, ct);

        foreach (var a in DemoData.Activity())
        {
            await mediator.Send(
                new PutActivity(a.Driver, a.Quantities) { Service = a.Service, Month = a.Month.ToString() },
                ct);
        }

        foreach (var c in DemoData.Costs())
        {
            await mediator.Send(new PostCost(
                c.Month.ToString(),
                c.Amount,
                c.Category,
                c.PaidBy,
                c.Reference,
                c.Description)
            { Service = c.Service }, ct);
        }

        await DemoPartnerships.LoadAsync(mediator, ct);

        // Saved before any month closes: the ledger's trigger refuses postings into a closed month (or one closed
        // downstream), and the commands only add to the change tracker inside this one transaction.
        await db.SaveChangesAsync(ct);

        // The first year's statements have been issued: close its months, as each host would.
        foreach (var service in DemoData.Services)
        {
            foreach (var month in Period.Parse(DemoData.ClosedYear).Months)
            {
                await mediator.Send(new CloseMonth(service.Code, month.ToString()), ct);
            }
        }

        foreach (var codes in DemoData.LedgerCodes)
        {
            await mediator.Send(new PutLedgerCodes(start, new ControlAccountDto(codes.ControlAccount, null), codes
                .Ledger, null,
                codes.Services.Select(s => (ServiceCodesDto?)new ServiceCodesDto(
                    s.Service,
                    s.CostCentre,
                    s.Account,
                    s.RecoveryAccount,
                    s.Fund,
                    null,
                    s.Subjective,
                    s.CostAccounts.Select(a => (CostAccountDto?)new CostAccountDto(a.Account, a.Category))
                        .ToList())).ToList())
            { Council = codes.Council }, ct);
        }
        await DemoBilling.LoadAsync(mediator, ct);
    }
}
