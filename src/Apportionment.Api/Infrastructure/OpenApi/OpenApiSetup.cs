using Microsoft.AspNetCore.OpenApi;

namespace Apportionment.Api.Infrastructure.OpenApi;

public static class OpenApiSetup
{
    public static OpenApiOptions AddApportionmentDocument(this OpenApiOptions options)
    {
        return options;
    }
}
