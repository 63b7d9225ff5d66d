using System.Text.Json;
using Microsoft.Extensions.Options;
using ProductHub.Adapters.Contracts;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace ProductHub.Hub.Api;

/// <summary>
/// Reads a request body, validates it against the schema its type declares (<see cref="ContractAttribute"/>) and binds it. Binding happens only after
/// the schema passed, so a caller always learns about every bad field at once, by path. Endpoints take the body as a
/// typed parameter (<see cref="ContractBodies"/>); only one that also takes other media types reads it here itself.
/// </summary>
public static class JsonBody
{
    /// <summary>Whether a request came without a body at all, for the endpoints where one is optional.</summary>
    public static bool IsAbsent(HttpRequest request) =>
        request.ContentLength == 0 || (request.ContentLength is null && !request.Headers.ContainsKey("Transfer-Encoding"));

    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(
        HttpRequest request, JsonSerializerOptions options, CancellationToken ct) where T : class
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        var (document, refusal) = JsonIntake.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
        if (refusal is not null) return (null, Problems.Invalid(refusal.Field, refusal.Problem));

        using (document)
        {
            var errors = ContractSchema.For(typeof(T)).Validate(document!.RootElement);
            if (errors.Count > 0) return (null, Problems.Invalid(errors));
            try
            {
                return (document.RootElement.Deserialize<T>(options)
                        ?? throw new JsonException("The body is null.", "$", null, null), null);
            }
            catch (JsonException e)
            {
                return (null, Problems.Invalid(e.Path ?? "$", e.Message));
            }
        }
    }

    /// <summary>
    /// The typed body of an endpoint, or the problem answered in its place (then <c>Read</c> is false and the endpoint
    /// does not run). An optional body that is absent reads as null.
    /// </summary>
    public static async Task<(T? Value, bool Read)> BindAsync<T>(HttpContext context, bool optional) where T : class
    {
        if (optional && IsAbsent(context.Request)) return (null, true);
        var options = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var (value, problem) = await ReadAsync<T>(context.Request, options, context.RequestAborted);
        if (problem is null) return (value, true);
        await problem.ExecuteAsync(context);
        return (null, false);
    }
}
