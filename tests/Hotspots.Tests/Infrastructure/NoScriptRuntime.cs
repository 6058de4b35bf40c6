using System.Diagnostics.CodeAnalysis;
using Microsoft.JSInterop;

namespace Hotspots.Tests.Infrastructure;

/// <summary>
/// What a component gets for IJSRuntime when it is rendered to HTML without a circuit (as ASP.NET Core's own static
/// rendering does): any call fails. HtmlRenderer never runs OnAfterRender, so markup tests never make one.
/// </summary>
public sealed class NoScriptRuntime : IJSRuntime
{
    public ValueTask<TValue> InvokeAsync<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors | DynamicallyAccessedMemberTypes.PublicFields | DynamicallyAccessedMemberTypes.PublicProperties)] TValue>(string identifier, object?[]? args) =>
        throw new InvalidOperationException("No script runs while a component is rendered to HTML.");

    public ValueTask<TValue> InvokeAsync<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors | DynamicallyAccessedMemberTypes.PublicFields | DynamicallyAccessedMemberTypes.PublicProperties)] TValue>(string identifier, CancellationToken cancellationToken, object?[]? args) =>
        throw new InvalidOperationException("No script runs while a component is rendered to HTML.");
}
