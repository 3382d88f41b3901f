namespace Apportionment.Api.Features.Councils;

public static class CouncilsApi
{
    public static RouteGroupBuilder MapCouncils(this RouteGroupBuilder api)
    {
        var councils = api.MapGroup("/councils").WithTags("Councils");
        councils.MapCreateCouncil();
        councils.MapGetCouncils();
        return api;
    }
}
