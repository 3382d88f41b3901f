namespace Apportionment.Api.Features.Services;

public sealed record SharedServiceDto(
    string Code, string Name, string HostCouncil, IReadOnlyList<string> Members, string StartMonth, string? EndMonth,
    string? Description)
{
    public static SharedServiceDto From(SharedService s) => new(
        s.Code, s.Name, s.HostCouncil, s.Members.Select(m => m.Council).Order(StringComparer.Ordinal).ToList(),
        s.StartMonth.ToMonthText(), s.EndMonth?.ToMonthText(), s.Description);
}
