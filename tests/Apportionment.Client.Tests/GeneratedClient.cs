using Apportionment.Api.Tests.Infrastructure;
using Apportionment.Client;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;

namespace Apportionment.Client.Tests;

/// <summary>
/// The Kiota client generated from openapi.yaml, talking to the in-memory test server with one API key.
/// </summary>
public static class GeneratedClient
{
    public static ApportionmentClient For(HttpClient http)
    {
        // The contract's first server is relative (each deployment is its own host), so the base URL is the test
        // server's.
        var adapter = new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http)
        {
            BaseUrl = http.BaseAddress!.ToString().TrimEnd('/'),
        };
        return new ApportionmentClient(adapter);
    }

    public static ApportionmentClient Admin(ApiFactory factory) => For(factory.Admin());

    public static ApportionmentClient WithKey(ApiFactory factory, string key) => For(factory.WithKey(key));
}
