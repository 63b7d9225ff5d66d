using Alba;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ProductHub.Hub.Api;
using ProductHub.Tests.Support;
using Xunit.Abstractions;

namespace ProductHub.Tests.Faults;

/// <summary>
/// Thousands of broken and hostile requests to every write endpoint: each is refused with a 4xx problem and the
/// event store stays byte for byte as it was. <c>PRODUCTHUB_FUZZ_REQUESTS</c> and <c>PRODUCTHUB_FUZZ_SEED</c>
/// change the count and the seed; a failure names the seed and the request, so it replays exactly.
/// </summary>
public sealed class when_the_api_is_fuzzed(HubFixture fixture, ITestOutputHelper output) : HubScenario(fixture)
{
    private static readonly string[] WriteMethods = ["POST", "PUT", "PATCH", "DELETE"];

    [Fact]
    public async Task every_write_endpoint_refuses_hostile_input_with_a_4xx_and_stores_nothing()
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("PRODUCTHUB_FUZZ_REQUESTS"), out var n) ? n : 3000;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("PRODUCTHUB_FUZZ_SEED"), out var s) ? s : 20261125;
        (await Api.Settled(api => api.Release(PumpStructure.Release()))).Status.ShouldBe(201);
        var connectionString = EventStore.ConnectionStringOf(Host);
        var before = await EventStore.FingerprintAsync(connectionString);
        var endpoints = WriteEndpoints();
        endpoints.Count.ShouldBeGreaterThan(20);
        var generator = new HostileRequests(seed, RequestBodyLimit.DefaultBytes);

        var refused = new Dictionary<int, int>();
        var misanswered = new List<string>();
        var sent = 0;
        foreach (var (method, route) in endpoints)
        {
            await Send(generator.Oversized(method, route), expected: 413);
        }
        for (var i = 0; sent < count; i++)
        {
            var (method, route) = endpoints[i % endpoints.Count];
            await Send(generator.Next(method, route), expected: null);
        }

        var after = await EventStore.FingerprintAsync(connectionString);
        output.WriteLine($"seed {seed}: {sent} requests to {endpoints.Count} write endpoints; answers " +
                         string.Join(", ", refused.OrderBy(r => r.Key).Select(r => $"{r.Key}×{r.Value}")) +
                         $"; events before {before.Events}, after {after.Events}");
        misanswered.ShouldBeEmpty($"seed {seed}: these requests were not refused with a 4xx");
        after.ShouldBe(before, $"seed {seed}: the event store changed");
        return;

        async Task Send(HostileRequest request, int? expected)
        {
            sent++;
            var result = await Host.Scenario(x =>
            {
                // Alba applies these in order: the method and headers last, so they win over its defaults.
                x.Get.Url(request.Url);
                x.ByteArray(request.Body);
                x.ConfigureHttpContext(c =>
                {
                    c.Request.Method = request.Method;
                    c.Request.ContentLength = request.Body.Length;
                    c.Request.ContentType = request.ContentType;
                });
                x.IgnoreStatusCode();
            });
            var status = result.Context.Response.StatusCode;
            refused[status] = refused.GetValueOrDefault(status) + 1;
            var isProblem = result.Context.Response.ContentType?.StartsWith("application/problem+json") == true;
            var answer = await result.ReadAsTextAsync();
            if (status is < 400 or >= 500 || (status != 404 && status != 405 && !isProblem) ||
                (expected is { } wanted && (status != wanted || !answer.Contains("/problems/request-too-large"))))
            {
                misanswered.Add($"{status} {result.Context.Response.ContentType} to {request}: {answer}");
            }
        }
    }

    /// <summary>Every write route the hub maps, from its endpoint table, so a new endpoint is fuzzed from its first day.</summary>
    private List<(string Method, string Route)> WriteEndpoints() =>
        Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
                .Where(WriteMethods.Contains)
                .Select(m => (m, "/" + e.RoutePattern.RawText!.TrimStart('/'))))
            .Where(e => e.Item2.StartsWith("/api/", StringComparison.Ordinal))
            .Distinct().OrderBy(e => e.Item2).ThenBy(e => e.m).ToList();
}
