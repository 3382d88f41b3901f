namespace Apportionment.Api.Features.Services;

public static class SharedServicesApi
{
    public static RouteGroupBuilder MapSharedServices(this RouteGroupBuilder api)
    {
        var services = api.MapGroup("/shared-services").WithTags("Shared services");
        services.MapCreateSharedService();
        services.MapGetSharedServices();
        services.MapUpdateSharedService();
        return api;
    }
}
