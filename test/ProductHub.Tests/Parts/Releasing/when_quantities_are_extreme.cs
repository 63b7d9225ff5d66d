using Marten;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using ProductHub.Domain.Parts;
using ProductHub.Tests.Faults;
using ProductHub.Tests.Support;
using Wolverine.Runtime;
using Xunit.Abstractions;
using static ProductHub.Tests.Support.Packages;

namespace ProductHub.Tests.Parts.Releasing;

/// <summary>
/// Quantities at and past the contract's range (greater than 0, at most 1 000 000 000, at most 9 decimal places):
/// what is outside is refused at intake rather than stored as something else, and what the structure multiplies out
/// of range is a 422 naming the path, or an exception on the workbench in a plant, never a 500 or a failed sync.
/// </summary>
public sealed class when_quantities_are_extreme(HubFixture fixture, ITestOutputHelper output) : HubScenario(fixture)
{
    private const decimal Most = 1_000_000_000m;

    private static string PackageText(string baseQuantity, string quantity) => $$"""
        { "packageId": "REL-1", "source": "plm", "releasedAt": "2026-02-10T12:00:00Z", "parts": [
          { "partNumber": "PN-1", "revision": "A", "description": "Kit", "unit": "EA", "type": "make", "baseQuantity": {{baseQuantity}},
            "bom": [ { "findNumber": 10, "partNumber": "PN-2", "quantity": {{quantity}}, "unit": "EA" } ] },
          { "partNumber": "PN-2", "revision": "A", "description": "Bolt", "unit": "EA", "type": "buy" } ] }
        """;

    /// <summary>Each part the only child of the one before, through the given quantities: {prefix}0 → {prefix}1 → ...</summary>
    private static object Chain(string prefix, params decimal[] quantities) => Package($"REL-{prefix}", "2026-02-10T12:00:00Z",
        quantities.Select((q, i) => Part($"{prefix}{i}", "A", "2026-02-10", Line(10, $"{prefix}{i + 1}", q)))
            .Append(Part($"{prefix}{quantities.Length}", "A", "2026-02-10")).ToArray());

    [Theory]
    [InlineData("1e-30")]
    [InlineData("0.0000000001")]
    [InlineData("0")]
    [InlineData("1e28")]
    [InlineData("1000000000.5")]
    public async Task a_quantity_outside_the_contract_is_refused_by_field_and_nothing_is_stored(string value)
    {
        var before = await EventStore.FingerprintAsync(EventStore.ConnectionStringOf(Host));

        var answer = await Api.ReleaseText(PackageText(value, value));

        output.WriteLine($"numbers: baseQuantity and quantity {value} → {answer.Status} {string.Join(", ", answer.ErrorFields)}");
        answer.Status.ShouldBe(400, answer.ToString());
        answer.ErrorFields.ShouldBe(["$.parts[0].baseQuantity", "$.parts[0].bom[0].quantity"], ignoreOrder: true);
        (await EventStore.FingerprintAsync(EventStore.ConnectionStringOf(Host))).ShouldBe(before);
    }

    [Fact]
    public async Task the_extremes_the_contract_allows_are_stored_exactly()
    {
        (await Api.ReleaseText(PackageText("999999999.999999999", "1000000000"))).Status.ShouldBe(201);
        (await Api.Release(Chain("S", 0.000000001m))).Status.ShouldBe(201);

        var most = await Api.Bom("PN-1", "effective=2026-03-01");
        var least = await Api.Bom("S0", "effective=2026-03-01");

        most.Status.ShouldBe(200, most.ToString());
        most.Json["lines"]![0]!["quantity"]!.GetValue<decimal>().ShouldBe(1_000_000_000m);
        most.Json["lines"]![0]!["extendedQuantity"]!.GetValue<decimal>().ShouldBe(1.000000000000m);
        least.Json["lines"]![0]!["quantity"]!.GetValue<decimal>().ShouldBe(0.000000001m);
        least.Json["lines"]![0]!["extendedQuantity"]!.GetValue<decimal>().ShouldBe(0.000000001m);
    }

    [Fact]
    public async Task a_unit_factor_outside_the_contract_is_refused()
    {
        var tiny = await Api.DefineUnit("PG", new { dimension = "mass", factor = 1e-15m });
        var huge = await Api.Send("PUT", "/api/v1/units/GT", new { dimension = "mass", factor = 1e12m });

        tiny.Status.ShouldBe(400, tiny.ToString());
        tiny.ErrorFields.ShouldBe(["$.factor"]);
        huge.ErrorFields.ShouldBe(["$.factor"]);
        (await Api.DefineUnit("UG", new { dimension = "mass", factor = 0.000000001m })).Status.ShouldBe(201);
    }

    [Fact]
    public async Task an_extended_quantity_beyond_what_the_hub_computes_is_a_422_naming_the_path()
    {
        (await Api.Release(Chain("B", Most, Most, Most, Most))).Status.ShouldBe(201);
        (await Api.Release(Chain("S", 0.000001m, 0.000001m, 0.000001m))).Status.ShouldBe(201);

        var big = await Api.Bom("B0", "depth=all&effective=2026-03-01");
        var shallow = await Api.Bom("B0", "depth=3&effective=2026-03-01");
        var small = await Api.Bom("S0", "depth=all&effective=2026-03-01");

        output.WriteLine($"numbers: four levels of 1e9 exploded → {big.Status} {string.Join(", ", big.ErrorFields)}; three levels → " +
                         $"{shallow.Status}; three levels of 1e-6 (1e-18, which would read 0) → {small.Status} {string.Join(", ", small.ErrorFields)}");
        big.Status.ShouldBe(422, big.ToString());
        big.ErrorFields.ShouldBe(["lines[path=B0/B1/B2/B3/B4].extendedQuantity"]);
        shallow.Status.ShouldBe(200);
        shallow.Json["lines"]!.AsArray().Last()!["extendedQuantity"]!.GetValue<decimal>().ShouldBe(1e27m);
        small.Status.ShouldBe(422, small.ToString());
        small.ErrorFields.ShouldBe(["lines[path=S0/S1/S2/S3].extendedQuantity"]);
    }

    [Fact]
    public async Task a_base_quantity_of_zero_stored_before_the_limits_is_a_422_not_a_500()
    {
        (await Api.Release(Package("REL-1", "2026-02-10T12:00:00Z", Part("PN-2", "A", "2026-02-10")))).Status.ShouldBe(201);
        // As the hub stored 1e-30 before intake refused it: a released revision that makes 0 of itself.
        var at = Instant.FromUtc(2026, 2, 10, 12, 0);
        await using (var session = Host.Services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            session.Events.StartStream("LEGACY",
                new PartRegistered("LEGACY", "Kit", "EA", PartType.Make, at),
                new RevisionCreated("LEGACY", "A", "Kit", "EA", PartType.Make, 0m, "EA", new LocalDate(2026, 2, 10), new Dictionary<string, string>(), at),
                new BomLineAdded("LEGACY", "A", 10, "PN-2", 1m, "EA", [], new Effectivity(new LocalDate(2026, 2, 10), null), at),
                new RevisionReleased("LEGACY", "A", "REL-0", at, null, "hash", at));
            await session.SaveChangesAsync();
        }

        var bom = await Api.Bom("LEGACY", "effective=2026-03-01");

        bom.Status.ShouldBe(422, bom.ToString());
        bom.ErrorFields.ShouldBe(["lines[path=LEGACY/PN-2].extendedQuantity"]);
    }

    [Fact]
    public async Task phantoms_multiplying_a_quantity_out_of_range_leave_an_exception_and_the_rest_of_the_sync_publishes()
    {
        var runtime = Host.Services.GetRequiredService<IWolverineRuntime>();
        var deadLettersBefore = (await runtime.Storage.Admin.FetchCountsAsync()).DeadLetter;
        (await Api.Release(Package("REL-1", "2026-02-10T12:00:00Z",
            Part("TOP", "A", "2026-02-10", Line(10, "PH1", Most), Line(20, "BOLT", 4)),
            Phantom("PH1", Line(10, "PH2", Most)), Phantom("PH2", Line(10, "PH3", Most)), Phantom("PH3", Line(10, "LEAF", Most)),
            Part("LEAF", "A", "2026-02-10"), Part("BOLT", "A", "2026-02-10")))).Status.ShouldBe(201);
        await Api.ConfigurePlant("P1", new { name = "Plant", erpInstance = "erp-test" });
        await Api.Settled(api => api.Assign("P1", "TOP"));

        // Reference data for the bolt and the top: one sync recomputes both.
        (await Api.Settled(api => api.ReferenceData("P1", new
        {
            items = new object[] { new { partNumber = "BOLT", preferredSupplier = "Würth" }, new { partNumber = "TOP", storageLocation = "A-01" } },
        }))).Status.ShouldBe(200);

        var bolt = await Api.Published("P1", "BOLT");
        var exception = (await Api.Exceptions("plant=P1&status=open")).Items.Single()!;
        var mbom = await Api.Mbom("P1", "TOP", "effective=2026-03-01");
        output.WriteLine($"numbers: phantoms pulling up 1e9 × 1e9 × 1e9 × 1e9 in a plant sync → exception on " +
                         $"{exception["checks"]![0]!["field"]}, BOLT published {bolt.Status}, MBOM {mbom.Status}");
        bolt.Status.ShouldBe(200, bolt.ToString());
        bolt.Json["item"]!["referenceData"]!["preferredSupplier"]!.GetValue<string>().ShouldBe("Würth");
        exception["partNumber"]!.GetValue<string>().ShouldBe("TOP");
        exception["checks"]!.AsArray().Select(c => c!["field"]!.GetValue<string>()).ShouldBe(["bom[findNumber=10].quantity"]);
        mbom.Status.ShouldBe(422, mbom.ToString());
        mbom.ErrorFields.ShouldBe(["bom[findNumber=10].quantity"]);
        (await runtime.Storage.Admin.FetchCountsAsync()).DeadLetter.ShouldBe(deadLettersBefore);
    }

    private static object Phantom(string partNumber, params object[] bom) =>
        new { partNumber, revision = "A", description = partNumber, unit = "EA", type = "phantom", effectiveFrom = "2026-02-10", bom };
}
