using System.Text.Json.Serialization;
using Apportionment.Api.Features.Ledger;
using Apportionment.Api.Infrastructure.Errors;
using Apportionment.Api.Infrastructure.Http;
using Apportionment.Api.Infrastructure.Persistence;
using Apportionment.Api.Infrastructure.Pipeline;
using Apportionment.Api.Infrastructure.Security;
using Apportionment.Api.Infrastructure.Validation;
using Apportionment.Domain;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Apportionment.Api.Features.Journals;

/// <summary>
/// Sets the council's ledger codes from a month: every shared service it belongs to that its journals and GL extracts
/// should cover, with its own cost centre and accounts. Each change is a new version; the same codes again change
/// nothing.
/// </summary>
public sealed record PutLedgerCodes(
    string? EffectiveFrom, ControlAccountDto? ControlAccount, string? Ledger, string? JournalType,
    IReadOnlyList<ServiceCodesDto?>? Services)
    : ICommand<LedgerCodesVersionDto>, IAudited<LedgerCodesVersionDto>, IIdempotent
{
    [JsonIgnore] public string Council { get; init; } = "";
    [JsonIgnore] public string? IdempotencyKey { get; init; }

    [JsonIgnore] public string AuditEntity => "ledger-codes";
    public string AuditEntityId(LedgerCodesVersionDto response)
        => $"{response.Council}/{response.EffectiveFrom}/v{response.Version}";
}

public sealed class PutLedgerCodesValidator : IValidator<PutLedgerCodes>
{
    public void Validate(PutLedgerCodes request, ValidationErrors errors)
    {
        errors.MonthText("effectiveFrom", request.EffectiveFrom);
        if (request.ControlAccount is null)
        {
            errors.Add("controlAccount", "Is required: the account amounts due to or from partners are held in.");
        }
        else
        {
            errors.LedgerCode("controlAccount.account", request.ControlAccount.Account);
            errors.LedgerCode("controlAccount.costCentre", request.ControlAccount.CostCentre, required: false);
        }

        errors.LedgerCode("ledger", request.Ledger, required: false);
        errors.LedgerCode("journalType", request.JournalType, required: false);
        if (request.Services is not { Count: > 0 and <= 500 })
        {
            errors.Add("services", "List between 1 and 500 services, each with its cost centre and account.");
            return;
        }

        if (!errors.NoNullElements("services", request.Services))
        {
            return;
        }

        var extractCodes = new Dictionary<(string, string), string>();
        for (var i = 0; i < request.Services.Count; i++)
        {
            var s = request.Services[i]!;
            var at = $"services[{i}]";
            errors.Code(at + ".service", s.Service);
            if (request.Services.Take(i).Any(o => o!.Service == s.Service))
            {
                errors.Add(at + ".service", $"'{s.Service}' is listed twice.");
            }

            errors.LedgerCode(at + ".costCentre", s.CostCentre);
            errors.LedgerCode(at + ".account", s.Account);
            errors.LedgerCode(at + ".recoveryAccount", s.RecoveryAccount, required: false);
            errors.LedgerCode(at + ".fund", s.Fund, required: false);
            errors.LedgerCode(at + ".project", s.Project, required: false);
            errors.LedgerCode(at + ".subjective", s.Subjective, required: false);
            CheckCostAccounts(errors, at, s, extractCodes);
        }
    }

    /// <summary>A cost centre and account of a GL extract line must lead to one service and one category.</summary>
    private static void CheckCostAccounts(
        ValidationErrors errors,
        string at,
        ServiceCodesDto s,
        Dictionary<(string, string), string> seen)
    {
        if (s.CostAccounts is not { } accounts || !errors.NoNullElements(at + ".costAccounts", accounts))
        {
            return;
        }

        for (var j = 0; j < accounts.Count; j++)
        {
            var a = accounts[j]!;
            errors.LedgerCode($"{at}.costAccounts[{j}].account", a.Account);
            errors.Name($"{at}.costAccounts[{j}].category", a.Category, 100);
            if (s.CostCentre is not null && a.Account is not null
                && !seen.TryAdd((s.CostCentre, a.Account), s.Service ?? ""))
            {
                errors.Add($"{at}.costAccounts[{j}].account",
                    $"Cost centre {s.CostCentre} with account {a.Account} already leads to "
                        + $"'{seen[(s.CostCentre, a.Account)]}'; a GL extract line must lead to one service.");
            }
        }
    }
}

public sealed class PutLedgerCodesHandler(
    ApportionmentDb db,
    Caller caller,
    TimeProvider clock) : ICommandHandler<PutLedgerCodes, LedgerCodesVersionDto>
{
    public async ValueTask<LedgerCodesVersionDto> Handle(PutLedgerCodes command, CancellationToken cancellationToken)
    {
        caller.EnsureActsFor(command.Council, "set ledger codes");
        var services = await db.ServiceMembers.AsNoTracking().Where(m => m.Council == command.Council)
            .Join(
                db.SharedServices,
                m => m.ServiceCode,
                s => s.Code,
                (m, s) => new { s.Code, s.HostCouncil })
                .ToDictionaryAsync(s => s.Code, s => s.HostCouncil, cancellationToken);
        if (services.Count == 0 && !await db.Councils.AnyAsync(c => c.Code == command.Council, cancellationToken))
        {
            throw new NotFoundException("Council", command.Council);
        }

        var errors = new ValidationErrors();
        for (var i = 0; i < command.Services!.Count; i++)
        {
            var s = command.Services[i]!;
            if (!services.TryGetValue(s.Service!, out var host))
            {
                errors.Add(
                    $"services[{i}].service",
                    $"'{command.Council}' does not belong to a shared service '{s.Service}'.");
            }
            else if (s.RecoveryAccount is not null && host != command.Council)
            {
                errors.Add(
                    $"services[{i}].recoveryAccount",
                    $"Only the host council credits recoveries; '{s.Service}' is hosted by {host}.");
            }
        }

        if (!errors.IsEmpty)
        {
            throw new RequestValidationException(errors.ToDictionary());
        }

        var codes = new StoredCodes(command.ControlAccount!, command.Ledger, command.JournalType,
            command.Services.Select(s => s!).OrderBy(s => s.Service, StringComparer.Ordinal).ToList()).ToJson();
        var from = Month.Parse(command.EffectiveFrom!).FirstDay;
        // Serialises writers of one council's codes, so two racing first versions do not both become version 1.
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"select pg_advisory_xact_lock(hashtext({"ledger-codes:" + command.Council}))",
            cancellationToken);
        var latest = await db.LedgerCodes.AsNoTracking()
            .Where(v => v.Council == command.Council && v.EffectiveFrom == from)
            .OrderByDescending(v => v.Version)
            .FirstOrDefaultAsync(cancellationToken);
        if (latest is not null && StoredCodes.Read(latest).ToJson() == codes)
        {
            return StoredCodes.Read(latest).ToDto(latest);
        }

        // To the microsecond, as PostgreSQL keeps it, so the answer to setting the same codes again is the same answer.
        var now = clock.GetUtcNow();
        var version = new LedgerCodeVersion
        {
            Council = command.Council, EffectiveFrom = from, Version = (latest?.Version ?? 0)
                + 1, Codes = codes, SetAt = now.AddTicks(-(now.Ticks % 10)), SetByKey = caller.KeyId,
        };
        db.LedgerCodes.Add(version);
        await db.SaveChangesAsync(cancellationToken);
        return StoredCodes.Read(version).ToDto(version);
    }
}

/// <summary>
/// Every version of the council's codes, oldest effective month first; only the council itself (or an admin) sees them.
/// </summary>
public sealed record GetLedgerCodes(string Council) : IQuery<LedgerCodesDto>;

public sealed class GetLedgerCodesHandler(
    ApportionmentDb db,
    Caller caller) : IQueryHandler<GetLedgerCodes, LedgerCodesDto>
{
    public async ValueTask<LedgerCodesDto> Handle(GetLedgerCodes query, CancellationToken cancellationToken)
    {
        caller.EnsureActsFor(query.Council, "read ledger codes");
        if (!await db.Councils.AnyAsync(c => c.Code == query.Council, cancellationToken))
        {
            throw new NotFoundException("Council", query.Council);
        }

        var versions = await db.LedgerCodes.AsNoTracking().Where(v => v.Council == query.Council)
            .OrderBy(v => v.EffectiveFrom).ThenBy(v => v.Version).ToListAsync(cancellationToken);
        return new LedgerCodesDto(query.Council, versions.Select(v => StoredCodes.Read(v).ToDto(v)).ToList());
    }
}
