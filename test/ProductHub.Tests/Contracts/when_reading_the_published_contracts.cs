using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ProductHub.Tests.Support;

namespace ProductHub.Tests.Contracts;

public sealed class when_reading_the_published_contracts(HubFixture fixture) : HubScenario(fixture)
{
    [Fact]
    public async Task the_openapi_document_describes_every_api_endpoint()
    {
        var document = await Api.Get("/openapi/v1.json");

        document.Status.ShouldBe(200);
        var paths = document.Json["paths"]!.AsObject().Select(p => p.Key).ToHashSet();
        var routes = Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .Where(r => r.StartsWith("/api/v1/", StringComparison.Ordinal)).Distinct().ToList();
        routes.Count.ShouldBeGreaterThan(30);
        routes.ShouldAllBe(route => paths.Contains(route));
        document.Json["components"]!["securitySchemes"]!["bearer"]!["scheme"]!.GetValue<string>().ShouldBe("bearer");
    }

    [Fact]
    public async Task every_schema_is_served_at_its_path()
    {
        var list = (await Api.Get("/schemas")).Json.AsArray().Select(s => s!.GetValue<string>()).ToList();

        list.ShouldContain("/schemas/canonical/v1/release-package.schema.json");
        list.ShouldContain("/schemas/erp/v1/plant-bom-delivery.schema.json");
        foreach (var path in list)
        {
            var schema = await Api.Get(path);
            schema.Status.ShouldBe(200, path);
            schema.ContentType.ShouldStartWith("application/schema+json");
            schema.Json["$id"]!.GetValue<string>().ShouldEndWith(path["/schemas".Length..]);
        }
        (await Api.Get("/schemas/canonical/v9/nope.json")).Status.ShouldBe(404);
    }
}
