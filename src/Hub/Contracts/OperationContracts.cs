using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using ProductHub.Hub.Api;

namespace ProductHub.Hub.Contracts;

/// <summary>
/// Completes each operation from its endpoint's metadata: the request body as its contract schema
/// (<see cref="RequestContractAttribute"/>), the answers it declares and the problem answers it can give
/// (<see cref="ProblemAnswersAttribute"/>, and 400 for every endpoint, 401 and 403 unless it is anonymous, 409 for a write,
/// 413 for a body).
/// </summary>
internal sealed class OperationContracts : IOpenApiOperationTransformer
{
    private const string ProblemJson = "application/problem+json";

    private static readonly Dictionary<int, string> ProblemMeanings = new()
    {
        [400] = "The request is invalid: errors names each bad field by JSON path, query parameter or route value.",
        [401] = "No bearer token, or one that is invalid or expired.",
        [403] = "The token's role or plant does not allow this request.",
        [404] = "What the route names does not exist (or is another plant's).",
        [409] = "A conflict with what is stored, or a concurrent writer won the race; nothing was stored.",
        [413] = "The request body is over the hub's limit (ProductHub__MaxRequestBodyBytes); nothing was stored.",
        [422] = "The request was understood but rejected: errors gives the reason at each field; nothing was stored.",
    };

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var document = context.Document ?? throw new InvalidOperationException("The operation is not part of a document.");
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;

        if (metadata.OfType<RequestContractAttribute>().SingleOrDefault() is { } body)
        {
            operation.RequestBody = RequestBody(body, document);
        }

        operation.Responses ??= new OpenApiResponses();
        if (ReturnsIResult(context.Description))
        {
            // Wolverine infers a 200 carrying an IResult and a 404 for a missing resource from the return type; an
            // endpoint that answers IResult says what it answers with [ProducesResponseType] instead.
            var declared = metadata.OfType<IApiResponseMetadataProvider>().Select(p => p.StatusCode.ToString()).ToHashSet();
            foreach (var code in operation.Responses.Keys.Where(c => !declared.Contains(c)).ToList()) operation.Responses.Remove(code);
        }

        foreach (var status in ProblemStatuses(metadata, context.Description.HttpMethod, operation.RequestBody is not null))
        {
            var schema = await ProblemSchemaAsync(status is 400 or 422, context, document, ct);
            operation.Responses[status.ToString()] = new OpenApiResponse
            {
                Description = ProblemMeanings[status],
                Content = new Dictionary<string, OpenApiMediaType> { [ProblemJson] = new() { Schema = schema } },
            };
        }
        var ordered = operation.Responses.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        operation.Responses.Clear();
        foreach (var (code, response) in ordered) operation.Responses[code] = response;

        // Wolverine describes an operation by its id unless told otherwise; the summary says what it does.
        if (operation.Description == operation.OperationId) operation.Description = null;
    }

    /// <summary>Drops the schema of IResult, which no operation refers to once each says what it answers.</summary>
    public static Task DropIResult(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        document.Components?.Schemas?.Remove(nameof(IResult));
        return Task.CompletedTask;
    }

    private static OpenApiRequestBody RequestBody(RequestContractAttribute body, OpenApiDocument document)
    {
        var content = new Dictionary<string, OpenApiMediaType>
        {
            ["application/json"] = new() { Schema = ContractComponents.Reference(body.Body, document) },
        };
        foreach (var mediaType in body.TextMediaTypes)
        {
            content[mediaType] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
        }
        return new OpenApiRequestBody { Required = !body.Optional, Content = content };
    }

    private static IEnumerable<int> ProblemStatuses(IList<object> metadata, string? method, bool readsBody)
    {
        // Every request's route values and query parameters are checked (RouteText), so any endpoint can answer 400;
        // a write can lose the race to another writer (ProblemExceptionHandler), so any write can answer 409.
        var statuses = new SortedSet<int> { 400 };
        if (method is not null && !HttpMethods.IsGet(method)) statuses.Add(409);
        if (readsBody) statuses.Add(413);
        // An endpoint without a policy of its own has the fallback policy (Access), so only an anonymous one is open.
        if (!metadata.OfType<IAllowAnonymous>().Any())
        {
            statuses.Add(401);
            statuses.Add(403);
        }
        foreach (var status in metadata.OfType<ProblemAnswersAttribute>().SelectMany(a => a.StatusCodes)) statuses.Add(status);
        return statuses;
    }

    private static bool ReturnsIResult(ApiDescription description)
    {
        var returned = (description.ActionDescriptor as ControllerActionDescriptor)?.MethodInfo.ReturnType;
        if (returned is { IsGenericType: true } && returned.GetGenericTypeDefinition() == typeof(Task<>))
            returned = returned.GetGenericArguments()[0];
        return returned == typeof(IResult);
    }

    private static async Task<IOpenApiSchema> ProblemSchemaAsync(
        bool withErrors, OpenApiOperationTransformerContext context, OpenApiDocument document, CancellationToken ct)
    {
        var type = withErrors ? typeof(HttpValidationProblemDetails) : typeof(ProblemDetails);
        if (document.Components?.Schemas?.ContainsKey(type.Name) is not true)
        {
            document.AddComponent(type.Name, await context.GetOrCreateSchemaAsync(type, null, ct));
        }
        return new OpenApiSchemaReference(type.Name, document);
    }
}
