namespace Apportionment.Api.Features.Councils;

public sealed record CouncilDto(string Code, string Name)
{
    public static CouncilDto From(Council c) => new(c.Code, c.Name);
}
