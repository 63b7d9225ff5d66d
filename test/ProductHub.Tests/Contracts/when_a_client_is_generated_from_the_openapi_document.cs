using System.Net.Http.Headers;
using ProductHub.Tests.Support;

namespace ProductHub.Tests.Contracts;

/// <summary>
/// What a consumer of the hub does with the served document: generate a C# client with NSwag, write code against its
/// types, and call the running hub with it. A request body or answer missing from the document fails to compile here.
/// </summary>
public sealed class when_a_client_is_generated_from_the_openapi_document(HubFixture fixture) : HubScenario(fixture)
{
    // Written against the generated types only, as a consumer's code would be.
    private const string Consumer = $$"""
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Net.Http;
        using System.Threading.Tasks;

        namespace {{GeneratedClient.Namespace}};

        public static class Consumer
        {
            public static async Task<string> ReleaseAsync(HttpClient http)
            {
                try { return await TryReleaseAsync(http); }
                catch (ApiException<HttpValidationProblemDetails> e)
                {
                    // The problem answer is typed too: name the fields the hub refused.
                    throw new InvalidOperationException(
                        string.Join("; ", e.Result.Errors.Select(f => $"{f.Key}: {string.Join(" ", f.Value)}")));
                }
            }

            private static async Task<string> TryReleaseAsync(HttpClient http)
            {
                var answer = await new HubClient(http).ReleasePackageAsync(new ReleasePackage
                {
                    PackageId = "PKG-CLIENT-1",
                    Source = "plm-client",
                    ReleasedAt = new DateTimeOffset(2026, 9, 1, 8, 0, 0, TimeSpan.Zero),
                    Parts = new List<ReleasePackagePart>
                    {
                        new()
                        {
                            PartNumber = "CL-100", Revision = "A", Description = "Client pump", Unit = "EA",
                            Type = ReleasePackagePartType.Make, EffectiveFrom = new DateTimeOffset(2026, 9, 1, 0, 0, 0, TimeSpan.Zero),
                            Bom = new List<ReleasePackageBomLine>
                            {
                                new() { FindNumber = 10, PartNumber = "CL-200", Quantity = 2.5, Unit = "EA" },
                            },
                        },
                        new()
                        {
                            PartNumber = "CL-200", Revision = "A", Description = "Client impeller", Unit = "EA",
                            Type = ReleasePackagePartType.Buy,
                        },
                    },
                });
                return $"{answer.PackageId} {answer.EventCount} " +
                       string.Join(",", answer.Parts.OrderBy(p => p.PartNumber).Select(p => $"{p.PartNumber}/{p.Revision}/{p.Outcome}"));
            }

            public static async Task<string> BomAsync(HttpClient http)
            {
                var bom = await new HubClient(http).GetBomAsync("CL-100", null, "2026-10-01", null, "all");
                return $"{bom.PartNumber}/{bom.Revision} " +
                       string.Join(",", bom.Lines.Select(l =>
                           $"{l.Level}:{l.PartNumber}/{l.Revision} x{l.ExtendedQuantity} {l.ExtendedUnit}"));
            }
        }
        """;

    [Fact]
    public async Task it_compiles_and_releases_a_package_and_reads_its_bom_from_the_running_hub()
    {
        var document = (await Host.Scenario(s => s.Get.Url("/openapi/v1.json"))).ReadAsText();
        var client = GeneratedClient.Compile(await GeneratedClient.GenerateAsync(document), Consumer);
        using var http = Host.Server.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Default);
        var consumer = client.GetType($"{GeneratedClient.Namespace}.Consumer")!;

        var released = await (Task<string>)consumer.GetMethod("ReleaseAsync")!.Invoke(null, [http])!;
        var bom = await (Task<string>)consumer.GetMethod("BomAsync")!.Invoke(null, [http])!;

        var eventCount = (await Api.Get("/api/v1/releases/PKG-CLIENT-1")).Json["eventCount"];
        released.ShouldBe($"PKG-CLIENT-1 {eventCount} CL-100/A/released,CL-200/A/released");
        bom.ShouldBe("CL-100/A 1:CL-200/A x2.5 EA");
    }
}
