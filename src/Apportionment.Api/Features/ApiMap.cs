using Apportionment.Api.Features.System;

namespace Apportionment.Api.Features;

/// <summary>Every area of the v1 API, one small file each.</summary>
public static class ApiMap
{
    public static RouteGroupBuilder MapApportionmentApi(this RouteGroupBuilder api)
    {
        api.MapVersion();
        return api;
    }
}
