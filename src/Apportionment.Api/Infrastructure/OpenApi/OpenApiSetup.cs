using Microsoft.AspNetCore.OpenApi;

namespace Apportionment.Api.Infrastructure.OpenApi;

/// <summary>
/// Enriches the generated OpenAPI document centrally, so endpoint files stay about behaviour. The document is the
/// contract (openapi.yaml): change it here, then regenerate the file (see OpenApiContractTests).
/// </summary>
public static class OpenApiSetup
{
    public static OpenApiOptions AddApportionmentDocument(this OpenApiOptions options)
    {
        options.AddSchemaTransformer<FieldFormatsTransformer>();
        options.AddOperationTransformer<ResponseContentTransformer>();
        options.AddOperationTransformer<SecurityTransformer>();
        options.AddOperationTransformer<ParametersTransformer>();
        options.AddOperationTransformer<ErrorResponsesTransformer>();
        options.AddOperationTransformer<ReadAfterLsnTransformer>();
        options.AddOperationTransformer<RequestExamplesTransformer>();
        options.AddDocumentTransformer<DocumentInfoTransformer>();
        options.AddDocumentTransformer<ReadAfterLsnTransformer>();
        return options;
    }
}
