using Microsoft.Extensions.DependencyInjection;
using ProductHub.Hub.Demo;
using ProductHub.Tests.Support;
using Wolverine;
using Wolverine.Postgresql.Transport;
using Wolverine.Runtime;

namespace ProductHub.Tests.Hosting;

public sealed class when_the_hub_starts(HubFixture fixture) : HubScenario(fixture)
{
    [Fact]
    public async Task the_demo_product_releases_and_explodes()
    {
        foreach (var (name, json) in DemoData.Packages())
        {
            var answer = await Api.ReleaseText(json);
            answer.Status.ShouldBe(201, $"{name}: {answer}");
        }

        var summer = await Api.Bom("PN-1000", "depth=all&effective=2026-07-01");
        var autumn = await Api.Bom("PN-1000", "depth=all&effective=2026-10-01");

        summer.Json["revision"]!.GetValue<string>().ShouldBe("B");
        Parts(summer).ShouldContain("PN-1200");
        Parts(autumn).ShouldContain("PN-1201");
        Parts(autumn).ShouldNotContain("PN-1200");
        var sealant = autumn.Json["lines"]!.AsArray().Single(l => l!["partNumber"]!.GetValue<string>() == "PN-1420")!;
        sealant["extendedQuantity"]!.GetValue<decimal>().ShouldBe(0.05m);
        sealant["extendedUnit"]!.GetValue<string>().ShouldBe("KG");
    }

    [Fact]
    public void messaging_runs_on_the_postgresql_transport_with_a_durable_inbox_and_outbox()
    {
        var runtime = Host.Services.GetRequiredService<IWolverineRuntime>();

        runtime.Options.Transports.OfType<PostgresqlTransport>().ShouldHaveSingleItem();
        runtime.Storage.ShouldNotBeOfType<Wolverine.Persistence.Durability.NullMessageStore>();
    }

    private static IEnumerable<string> Parts(Answer bom) =>
        bom.Json["lines"]!.AsArray().Select(l => l!["partNumber"]!.GetValue<string>());
}
