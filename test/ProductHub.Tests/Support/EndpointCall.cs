using System.Text.RegularExpressions;
using Alba;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ProductHub.Tests.Support;

/// <summary>
/// One method and route the hub maps, with the policy it names, read from the hub's endpoint data source: tests that
/// walk these cover an endpoint added later without anyone remembering to add it.
/// </summary>
public sealed partial record EndpointCall(string Method, string Route, string? Policy)
{
    /// <summary>Every endpoint that needs a token.</summary>
    public static List<EndpointCall> Of(IAlbaHost host) => host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
        .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null)
        .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            .Select(method => new EndpointCall(method, "/" + e.RoutePattern.RawText!.TrimStart('/'),
                e.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).LastOrDefault())))
        .DistinctBy(c => c.ToString()).ToList();

    /// <summary>Every route parameter gets a value; a plant is always P100, so ERP callers of P200 meet the plant scope.</summary>
    public string Url => "/" + Parameter().Replace(Route.TrimStart('/'), m => m.Groups[1].Value == "plantCode" ? "P100" : "sample");

    /// <summary>The route with every combination of these values for its parameters, and the values each URL sent.</summary>
    public IEnumerable<(string Url, string[] Sent)> Urls(IReadOnlyDictionary<string, string[]> values)
    {
        IEnumerable<string[]> combinations = [[]];
        foreach (var name in Parameter().Matches(Route).Select(m => m.Groups[1].Value))
        {
            var these = values.TryGetValue(name, out var given) ? given : throw new InvalidOperationException($"No values for {{{name}}} of {Route}");
            combinations = combinations.SelectMany(c => these.Select(v => (string[])[.. c, v]));
        }
        foreach (var combination in combinations)
        {
            var i = 0;
            yield return ("/" + Parameter().Replace(Route.TrimStart('/'), _ => combination[i++]), combination);
        }
    }

    public override string ToString() => $"{Method} {Route}";

    [GeneratedRegex(@"\{\**(\w+)[^}]*\}")]
    private static partial Regex Parameter();
}
