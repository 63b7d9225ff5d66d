using System.Net.Http.Json;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using ProductHub.Hub.Security;
using ProductHub.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace ProductHub.Tests.Workbench;

/// <summary>The main task of each workbench page, done in a real browser against a hub on a real port, and each page checked by axe-core.</summary>
[Collection(HubCollection.Name)]
public sealed partial class when_working_in_the_workbench(WorkbenchHub hub) : IClassFixture<WorkbenchHub>
{
    [Fact]
    public async Task the_monitor_shows_where_things_stand_and_refreshes_by_itself()
    {
        var page = await hub.OpenAsync("/ui");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Deliveries per ERP instance" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "erp-p200" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Change orders in flight" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = "Release-to-ERP latency of the last" })).ToBeVisibleAsync();
        var open = page.Locator("[data-figure=open-exceptions]");
        var before = int.Parse(await open.InnerTextAsync());

        // A bought part without approved manufacturers, assigned to P200 through the API: one more open exception.
        (await hub.Api.PostAsJsonAsync("/api/v1/releases", Packages.Package("WB-REL-1", "2026-11-01T08:00:00Z",
            Packages.Part("PN-WB-1", "A", "2026-11-01")))).EnsureSuccessStatusCode();
        (await hub.Api.PutAsync("/api/v1/plants/P200/parts/PN-WB-1", null)).EnsureSuccessStatusCode();

        await Expect(open).ToHaveTextAsync((before + 1).ToString());
        await WorkbenchHub.ScreenshotAsync(page, "monitor");
    }

    [Fact]
    public async Task an_exception_is_opened_with_its_failed_checks_and_retried()
    {
        var page = await hub.OpenAsync("/ui/exceptions");
        await page.GetByLabel("Plant").FillAsync("P200");
        await page.GetByLabel("Part").FillAsync("PN-1100");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Expect(page.Locator("caption")).ToHaveTextAsync("1 exceptions");
        await page.GetByRole(AriaRole.Button, new() { Name = "Open exception PN-1100 in P200" }).ClickAsync();

        var detail = page.GetByRole(AriaRole.Region, new() { Name = "PN-1100 rev A in P200" });
        await Expect(detail.GetByRole(AriaRole.Cell, new() { Name = "approvedManufacturers", Exact = true })).ToBeVisibleAsync();
        var attempts = (await hub.ListAsync("/api/v1/exceptions?plant=P200&part=PN-1100")).Single()!["attempts"]!.GetValue<int>();
        await Expect(detail).ToContainTextAsync($"{attempts} attempts");
        await WorkbenchHub.ScreenshotAsync(page, "exceptions");
        await detail.GetByRole(AriaRole.Button, new() { Name = "Retry with today's data" }).ClickAsync();

        // Still no approved manufacturer, so the same checks fail again: a second attempt on the same exception, said as a problem.
        var said = page.GetByRole(AriaRole.Status).Locator("p.status");
        await Expect(said).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("\\bproblem\\b"));
        await Expect(said).ToHaveTextAsync($"Validated again with today's data (attempt {attempts + 1}): PN-1100 rev A is still incomplete for P200, " +
                                           "so nothing was published. Still failing: approvedManufacturers.");
        await Expect(detail).ToContainTextAsync($"{attempts + 1} attempts");
        var exception = (await hub.ListAsync("/api/v1/exceptions?plant=P200&part=PN-1100")).Single()!;
        exception["attempts"]!.GetValue<int>().ShouldBe(attempts + 1);
    }

    [Fact]
    public async Task an_auditor_signed_in_reads_but_the_workbench_refuses_to_act_for_them()
    {
        var attempts = (await hub.ListAsync("/api/v1/exceptions?plant=P200&part=PN-1100")).Single()!["attempts"]!.GetValue<int>();
        var page = await hub.OpenAsync("/ui/exceptions?plant=P200&part=PN-1100", TestTokens.For("audrey", [Roles.Auditor]));
        await Expect(page.GetByRole(AriaRole.Banner)).ToContainTextAsync("Signed in as audrey (auditor)");
        await page.GetByRole(AriaRole.Button, new() { Name = "Open exception PN-1100 in P200" }).ClickAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Retry with today's data" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "roles do not allow" })).ToBeVisibleAsync();
        (await hub.ListAsync("/api/v1/exceptions?plant=P200&part=PN-1100")).Single()!["attempts"]!.GetValue<int>().ShouldBe(attempts);
    }

    [Fact]
    public async Task an_exception_is_dismissed_with_a_reason()
    {
        var page = await hub.OpenAsync("/ui/exceptions?plant=P200&part=PN-1000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Open exception PN-1000 in P200" }).ClickAsync();
        await page.GetByLabel("Reason for dismissing").FillAsync("Monterrey buys the pump complete this quarter");
        await page.GetByRole(AriaRole.Button, new() { Name = "Dismiss" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "was dismissed" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "PN-1000" })).ToContainTextAsync("dismissed");
        var exception = (await hub.ListAsync("/api/v1/exceptions?plant=P200&part=PN-1000")).Single()!;
        exception["resolution"]!.GetValue<string>().ShouldBe("Monterrey buys the pump complete this quarter");
    }

    [Fact]
    public async Task dead_letters_are_inspected_and_replayed()
    {
        var page = await hub.OpenAsync("/ui/deliveries?instance=erp-p200&status=deadLettered");
        var rows = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "deadLettered" });
        await Expect(rows.First).ToBeVisibleAsync();
        await rows.First.GetByRole(AriaRole.Button, new() { Name = "Inspect" }).ClickAsync();
        await Expect(page.GetByLabel("Payload sent")).ToContainTextAsync("\"plant\": \"P200\"");
        await Expect(page.GetByRole(AriaRole.Region).Filter(new() { HasText = "Last error" })).ToContainTextAsync("HTTP 500");
        await WorkbenchHub.ScreenshotAsync(page, "deliveries");

        var parts = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            parts.Add((await rows.Nth(i).Locator("td").Nth(3).InnerTextAsync()).Trim());
            await rows.Nth(i).GetByRole(AriaRole.Checkbox).CheckAsync();
        }
        hub.PlantErp.AlwaysFail = false;
        await page.GetByRole(AriaRole.Button, new() { Name = "Replay selected (2)" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "2 deliveries sent again" })).ToBeVisibleAsync();
        foreach (var part in parts)
        {
            await Wait.Until(async () => (await hub.ListAsync($"/api/v1/deliveries?instance=erp-p200&part={part}&status=acknowledged")).Count > 0 ? "" : null,
                $"the replayed delivery of {part} to be acknowledged");
        }
        await page.GetByLabel("Status").SelectOptionAsync("acknowledged");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "acknowledged" })).ToHaveCountAsync(2);
    }

    [Fact]
    public async Task a_part_is_found_its_bom_expanded_and_the_time_slider_moved()
    {
        var page = await hub.OpenAsync("/ui/parts");
        await page.GetByLabel("Part number or description").FillAsync("pump");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "PN-1000", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "PN-1000 — Centrifugal pump assembly" })).ToBeVisibleAsync();
        var summary = page.Locator("[data-bom-summary]");
        await Expect(summary).ToContainTextAsync("rev B");

        // The tree opens by keyboard: its toggles are buttons that say whether they are expanded.
        var toggle = page.GetByRole(AriaRole.Button, new() { Name = "Expand PN-1100" });
        await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "false");
        await toggle.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        var collapse = page.GetByRole(AriaRole.Button, new() { Name = "Collapse PN-1100" });
        await Expect(collapse).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(page.Locator("li[data-path^='PN-1000/PN-1100/']").First).ToBeVisibleAsync();

        // Back to when only rev A was known, by keyboard on the slider: the same date shows rev A.
        var slider = page.GetByRole(AriaRole.Slider, new() { Name = "Known as of" });
        await slider.FocusAsync();
        await page.Keyboard.PressAsync("Home");
        await Expect(summary).ToContainTextAsync("rev A");
        await Expect(slider).ToHaveAttributeAsync("aria-valuetext", new System.Text.RegularExpressions.Regex("rev A released"));

        // Now against what the hub knows today: the lines rev B changed are marked.
        await page.GetByRole(AriaRole.Slider, new() { Name = "Known as of" }).FocusAsync();
        await page.Keyboard.PressAsync("End");
        await page.GetByLabel("Compare with").SelectOptionAsync(new SelectOptionValue { Label = "revision A" });
        await Expect(summary).ToContainTextAsync("differences highlighted");
        await page.GetByRole(AriaRole.Button, new() { Name = "Expand all" }).ClickAsync();
        await Expect(page.Locator(".diff-mark").First).ToBeVisibleAsync();
        await WorkbenchHub.ScreenshotAsync(page, "part-explorer");
    }

    [Fact]
    public async Task a_failed_change_order_step_is_retried_from_its_timeline()
    {
        var page = await hub.OpenAsync("/ui/change-orders");
        await page.GetByRole(AriaRole.Button, new() { Name = "Open change order ECO-WB-1" }).ClickAsync();
        var detail = page.GetByRole(AriaRole.Region, new() { Name = "ECO-WB-1: New impeller routing" });
        await Expect(detail.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "mes-routing: failed" })).ToBeVisibleAsync();

        hub.Mes.AlwaysFail = false;
        await detail.GetByRole(AriaRole.Button, new() { Name = "Retry step mes-routing" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "is sent again" })).ToBeVisibleAsync();
        await Expect(detail.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "retried by hand" })).ToBeVisibleAsync();
        await Wait.Until(async () => await hub.StepStatus("ECO-WB-1") == "acknowledged" ? "" : null, "the retried step to be acknowledged");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Expect(detail.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "mes-routing: acknowledged" })).ToBeVisibleAsync();
        await WorkbenchHub.ScreenshotAsync(page, "change-orders");
    }

    [Fact]
    public async Task an_auditor_reads_that_a_step_failed_but_not_what_the_system_answered()
    {
        var asAdmin = await hub.OpenAsync("/ui/change-orders?number=ECO-WB-1");
        var asAuditor = await hub.OpenAsync("/ui/change-orders?number=ECO-WB-1", TestTokens.For("audrey", [Roles.Auditor]));

        ILocator Failed(IPage page) => page.GetByRole(AriaRole.Region, new() { Name = "ECO-WB-1: New impeller routing" })
            .GetByRole(AriaRole.Listitem).Filter(new() { HasText = "mes-routing: failed" });
        await Expect(Failed(asAdmin)).ToContainTextAsync("HTTP 500: boom");
        await Expect(Failed(asAuditor)).ToContainTextAsync("HTTP 500 (the answer is shown to admins only)");
        await Expect(asAuditor.Locator("main")).Not.ToContainTextAsync("boom");
    }

    [Fact]
    public async Task a_change_order_in_flight_is_cancelled()
    {
        var page = await hub.OpenAsync("/ui/change-orders?number=ECO-WB-2");
        var detail = page.GetByRole(AriaRole.Region, new() { Name = "ECO-WB-2: Tighter impeller inspection" });
        await Expect(detail.GetByRole(AriaRole.Row).Filter(new() { HasText = "qms-plan" })).ToContainTextAsync("sent");

        // One click only asks: what cancelling does, and why.
        await detail.GetByRole(AriaRole.Button, new() { Name = "Cancel and compensate…" }).ClickAsync();
        await Expect(detail.GetByRole(AriaRole.Form, new() { Name = "Cancel ECO-WB-2" })).ToContainTextAsync("cannot be undone");
        (await hub.GetAsync("/api/v1/change-orders/ECO-WB-2"))["state"]!.GetValue<string>().ShouldBe("inProgress");
        await detail.GetByRole(AriaRole.Button, new() { Name = "Keep it" }).ClickAsync();
        await Expect(detail.GetByRole(AriaRole.Form, new() { Name = "Cancel ECO-WB-2" })).ToHaveCountAsync(0);
        await detail.GetByRole(AriaRole.Button, new() { Name = "Cancel and compensate…" }).ClickAsync();
        await detail.GetByLabel("Reason for cancelling").FillAsync("Inspection plan moves to the next quarter");
        await detail.GetByRole(AriaRole.Button, new() { Name = "Cancel ECO-WB-2 and compensate" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "was cancelled" })).ToBeVisibleAsync();
        (await hub.GetAsync("/api/v1/change-orders/ECO-WB-2"))["stateReason"]!.GetValue<string>()
            .ShouldBe("cancelled: Inspection plan moves to the next quarter");
        await Expect(detail.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "compensating" })).ToBeVisibleAsync();
        // The QMS never confirmed the step, so there is nothing to revert: the change order ends compensated.
        await Wait.Until(async () => (await hub.GetAsync("/api/v1/change-orders/ECO-WB-2"))["state"]!.GetValue<string>() == "compensated" ? "" : null,
            "ECO-WB-2 to be compensated");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Expect(detail.GetByRole(AriaRole.Listitem).Last).ToContainTextAsync("compensated");
        await Expect(detail.GetByRole(AriaRole.Button, new() { Name = "Cancel and compensate…" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task no_retry_is_offered_on_a_change_order_that_was_compensated()
    {
        await using var failing = await TestErp.StartAsync();
        failing.AlwaysFail = true;
        await hub.Put("/api/v1/erp-instances/mes-wb-down", new { channel = "http", http = new { url = failing.Url, timeoutSeconds = 5 }, retry = new { maxAttempts = 1 } });
        await hub.Put("/api/v1/change-order-policies/doomed", new
        {
            stages = new object[]
            {
                new { name = "notice", steps = new[] { new { name = "wb-notice", target = "mes-wb-down", action = "notify", timeoutSeconds = 5,
                    retry = new { maxAttempts = 1 }, blocking = false } } },
                new { name = "routing", steps = new[] { new { name = "wb-routing", target = "mes-wb-down", action = "update-routing", timeoutSeconds = 5,
                    retry = new { maxAttempts = 1 }, blocking = true } } },
            },
        });
        (await hub.Api.PostAsJsonAsync("/api/v1/change-orders", new
        {
            number = "ECO-WB-3", type = "doomed", reason = "Doomed routing", requestedEffectivity = "2026-10-01",
            affected = new[] { new { partNumber = "PN-1000", revision = "B" } }, approval = new { approvedBy = "plm-approver" },
        })).EnsureSuccessStatusCode();
        await Wait.Until(async () => (await hub.GetAsync("/api/v1/change-orders/ECO-WB-3"))["state"]!.GetValue<string>() == "compensated" ? "" : null,
            "ECO-WB-3 to be compensated");

        var page = await hub.OpenAsync("/ui/change-orders?number=ECO-WB-3");
        var detail = page.GetByRole(AriaRole.Region, new() { Name = "ECO-WB-3: Doomed routing" });
        await Expect(detail.GetByRole(AriaRole.Row).Filter(new() { HasText = "wb-notice" })).ToContainTextAsync("failed");

        await Expect(detail.GetByRole(AriaRole.Button, new() { Name = "Retry step" })).ToHaveCountAsync(0);
        await Expect(detail.GetByRole(AriaRole.Button, new() { Name = "Cancel and compensate…" })).ToHaveCountAsync(0);
        (await hub.Api.PostAsync("/api/v1/change-orders/ECO-WB-3/steps/wb-notice/retry", null)).StatusCode.ShouldBe(System.Net.HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task the_effective_date_is_typed_digit_by_digit()
    {
        var page = await hub.OpenAsync("/ui/parts?search=pump&part=PN-1000");
        var summary = page.Locator("[data-bom-summary]");
        await Expect(summary).ToContainTextAsync("rev B");
        var date = page.GetByLabel("Effective date");

        // As a person types into Chromium's date field (month, day, year in an en-US browser), a keystroke at a time,
        // which Chromium reports as a change at each one: 07/01/0002, 07/01/0020, 07/01/0202, 07/01/2026.
        await date.FocusAsync();
        await date.PressSequentiallyAsync("07012026", new() { Delay = 150 });
        await page.Keyboard.PressAsync("Enter");

        await Expect(summary).ToContainTextAsync("effective 2026-07-01");
        await Expect(date).ToHaveValueAsync("2026-07-01");
        // Before the impeller change of rev B: the old impeller is in the BOM.
        await Expect(page.Locator("li[data-path^='PN-1000/PN-1200']").First).ToBeVisibleAsync();

        // Typed again from its first segment and left for another field: applied as well.
        var plant = page.GetByLabel("Plant");
        await plant.FocusAsync();
        await date.FocusAsync();
        await date.PressSequentiallyAsync("10152026", new() { Delay = 150 });
        await plant.FocusAsync();

        await Expect(summary).ToContainTextAsync("effective 2026-10-15");
        await Expect(date).ToHaveValueAsync("2026-10-15");
        await Expect(page.Locator("li[data-path^='PN-1000/PN-1201']").First).ToBeVisibleAsync();
    }

    [Fact]
    public async Task an_acknowledged_delivery_shows_the_erps_reference()
    {
        var page = await hub.OpenAsync("/ui/deliveries?instance=erp-p100&status=acknowledged");
        var rows = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "acknowledged" });
        await rows.First.GetByRole(AriaRole.Button, new() { Name = "Inspect" }).ClickAsync();

        // P100's ERP acknowledged by ack file, with its reference inside and no answer body.
        var answer = page.Locator("[data-erp-answer]");
        await Expect(answer).ToContainTextAsync(new System.Text.RegularExpressions.Regex("^Acknowledged .* with reference SAP-[0-9a-f]{8}, by callback or ack file"));
        await Expect(page.GetByLabel("ERP answer", new() { Exact = true })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task the_monitor_warns_of_a_plant_whose_erp_instance_is_missing()
    {
        await hub.Put("/api/v1/plants/P300", new { name = "Plant Pune", erpInstance = "erp-p300" });
        var page = await hub.OpenAsync("/ui");
        var warning = page.Locator("[data-warning=plant-without-erp]");

        await Expect(warning).ToHaveCountAsync(1);
        await Expect(warning).ToContainTextAsync("Plant P300 sends to ERP instance erp-p300, which is not configured");

        await hub.Put("/api/v1/erp-instances/erp-p300", new { channel = "http", http = new { url = hub.PlantErp.Url, timeoutSeconds = 5 } });
        await Expect(warning).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task a_parts_event_history_shows_each_event_with_its_metadata()
    {
        var page = await hub.OpenAsync("/ui/audit");
        await page.GetByLabel("Part number").FillAsync("PN-1000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show history" }).ClickAsync();

        var released = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "RevisionReleased" });
        await Expect(released).ToHaveCountAsync(2);
        await Expect(released.First).ToContainTextAsync("ECO-DEMO-1");
        await released.First.Locator("summary").ClickAsync();
        await Expect(released.First.Locator("pre").First).ToContainTextAsync("\"revision\": \"A\"");
        await WorkbenchHub.ScreenshotAsync(page, "audit");
    }

    [Theory]
    [InlineData("/ui", "[data-figure=backlog]")]
    [InlineData("/ui/exceptions?plant=P200", "tbody tr")]
    [InlineData("/ui/deliveries?instance=erp-p200", "tbody tr")]
    [InlineData("/ui/parts?search=pump&part=PN-1000", "ul.tree li")]
    [InlineData("/ui/change-orders?number=ECO-WB-1", "ol li")]
    [InlineData("/ui/audit?part=PN-1000", "tbody tr")]
    [InlineData("/ui/parts?part=PN-1100", "table.routing tbody tr")]
    [InlineData("/ui/documents?number=WI-1000", "section[data-revision]")]
    public async Task a_page_with_its_data_breaks_no_serious_accessibility_rule(string path, string content)
    {
        var page = await hub.OpenAsync(path);
        await Expect(page.Locator(content).First).ToBeVisibleAsync();

        // axe-core's WCAG 2 A and AA rules, run in the page as a person's browser renders it.
        var results = await page.RunAxe();

        results.Passes.ShouldNotBeEmpty("axe should have run its rules on the page");
        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target))}").ToList();
        serious.ShouldBeEmpty(string.Join("\n", serious));
    }
}
