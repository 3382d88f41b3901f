using System.Text.Json;
using System.Text.RegularExpressions;
using Apportionment.Api.Infrastructure.Persistence;
using Apportionment.Api.Infrastructure.Pipeline;
using Apportionment.Domain;
using Apportionment.Domain.Journals;

namespace Apportionment.Api.Features.Journals;

/// <summary>
/// An account in the council's ledger that its costs of the service are booked to, and the cost category it is posted
/// as.
/// </summary>
public sealed record CostAccountDto(string? Account, string? Category);

/// <summary>
/// Where one shared service goes in the council's ledger: the cost centre and account of its share (for the host, the
/// account its recoveries from partners are credited to as well), optional extra dimensions, and the accounts the
/// council books the service's costs to in its own ledger (read when it posts a GL extract).
/// </summary>
public sealed record ServiceCodesDto(
    string? Service, string? CostCentre, string? Account, string? RecoveryAccount, string? Fund, string? Project,
    string? Subjective,
    IReadOnlyList<CostAccountDto?>? CostAccounts);

/// <summary>
/// The balance-sheet account amounts due to or from partners are held in; its cost centre defaults to the service's.
/// </summary>
public sealed record ControlAccountDto(string? Account, string? CostCentre);

/// <summary>A version of a council's codes: in force from its month until a later effective month.</summary>
public sealed record LedgerCodesVersionDto(
    string Council, string EffectiveFrom, int Version, DateTimeOffset SetAt, ControlAccountDto ControlAccount,
    string? Ledger, string? JournalType,
    IReadOnlyList<ServiceCodesDto> Services);

public sealed record LedgerCodesDto(string Council, IReadOnlyList<LedgerCodesVersionDto> Versions);

/// <summary>
/// The stored body of a version: what was sent, services in code order, so equal codes compare equal.
/// </summary>
internal sealed record StoredCodes(
    ControlAccountDto ControlAccount,
    string? Ledger,
    string? JournalType,
    IReadOnlyList<ServiceCodesDto> Services)
{
    public static StoredCodes Read(LedgerCodeVersion v)
        => JsonSerializer.Deserialize<StoredCodes>(v.Codes, JsonSerializerOptions.Web)!;

    public string ToJson() => JsonSerializer.Serialize(this, JsonSerializerOptions.Web);

    public LedgerCodesVersionDto ToDto(LedgerCodeVersion v) =>
        new(
            v.Council,
            Month.FromDate(v.EffectiveFrom).ToString(),
            v.Version,
            v.SetAt,
            ControlAccount,
            Ledger,
            JournalType,
            Services);

    public ServiceCodesDto? For(string service) => Services.FirstOrDefault(s => s.Service == service);

    /// <summary>
    /// The service's account in the journal: a host's recoveries go to its recovery account when it has one.
    /// </summary>
    public LedgerAccount ServiceAccount(ServiceCodesDto s, bool host) =>
        new(
            s.CostCentre!,
            host && s.RecoveryAccount is { } recovery ? recovery : s.Account!,
            s.Fund,
            s.Project,
            s.Subjective);

    public LedgerAccount Control(ServiceCodesDto s) =>
        new(ControlAccount.CostCentre ?? s.CostCentre!, ControlAccount.Account!, s.Fund, s.Project, s.Subjective);
}

/// <summary>
/// A council's codes over time: the latest version of the latest effective month on or before a month governs it.
/// </summary>
internal sealed class CodesInForce(IReadOnlyList<LedgerCodeVersion> versions)
{
    private readonly List<(DateOnly From, StoredCodes Codes)> _versions = versions
        .GroupBy(v => v.EffectiveFrom).Select(g => g.MaxBy(v => v.Version)!).OrderBy(v => v.EffectiveFrom)
        .Select(v => (v.EffectiveFrom, StoredCodes.Read(v))).ToList();

    public StoredCodes? At(Month month) => _versions.LastOrDefault(v => v.From <= month.FirstDay).Codes;
}

public static partial class LedgerCodeRules
{
    /// <summary>
    /// Codes stay text: 1–30 characters that start with a letter or digit (so no spreadsheet reads one as a formula).
    /// </summary>
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9 ._/-]{0,29}$")]
    private static partial Regex LedgerCodePattern();

    public static bool IsLedgerCode(string? value)
        => value is not null && LedgerCodePattern().IsMatch(value) && value[^1] != ' ';

    public static void LedgerCode(this ValidationErrors errors, string field, string? value, bool required = true)
    {
        if (value is null ? required : !IsLedgerCode(value))
        {
            errors.Add(field, "Must be a ledger code: 1–30 letters, digits, spaces, '.', '_', '/' or '-', starting "
                + "with a letter or digit, kept as text.");
        }
    }
}
