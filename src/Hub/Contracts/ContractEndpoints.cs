using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using ProductHub.Adapters.Contracts;

namespace ProductHub.Hub.Contracts;

/// <summary>
/// The published contracts at stable URLs: the OpenAPI document of every endpoint at <c>/openapi/v1.json</c>, and
/// each versioned JSON Schema of <c>schemas/</c> at <c>/schemas/{path}</c>, exactly as the hub validates with it.
/// </summary>
public static class ContractEndpoints
{
    public static IServiceCollection AddContracts(this IServiceCollection services)
    {
        services.AddOpenApi("v1", options =>
        {
            options.CreateSchemaReferenceId = AnswerSchemas.ReferenceId;
            options.AddSchemaTransformer(AnswerSchemas.Transform);
            options.AddOperationTransformer<OperationContracts>();
            options.AddDocumentTransformer(DeclareBearerToken);
            options.AddDocumentTransformer(OperationContracts.DropIResult);
        });
        return services;
    }

    private static Task DeclareBearerToken(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        // Every operation takes the hub's bearer token (see Security); clients and generators learn it here.
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "JWT",
            Description = "A token with the roles plm, erp (with plant claims), auditor or admin.",
        };
        document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] }];
        return Task.CompletedTask;
    }

    public static void MapContracts(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapGet("/schemas/{**path}", (string path) =>
                ContractSchema.All.Contains(path)
                    ? Results.Text(ContractSchema.Get(path).Text, "application/schema+json")
                    : Api.Problems.NotFound($"No schema {path} is published; see /schemas for the list."))
            .ExcludeFromDescription();
        app.MapGet("/schemas", () => Results.Ok(ContractSchema.All.Order().Select(p => $"/schemas/{p}"))).ExcludeFromDescription();
    }
}
