using GraphSSL.Generators.Common;

namespace GraphSSL.Generators.Objectives
{
    /// <summary>An [Objective] record: its hyperparameters and the lifecycle members it declares itself.</summary>
    /// <param name="Type">Where the record lives.</param>
    /// <param name="Attributes">The attribute list as written.</param>
    /// <param name="Values">Hyperparameters: the positional parameters, in order.</param>
    /// <param name="StateType">The state type <c>Start</c> returns, as emitted; null for a stateless objective (Loss(Views)).</param>
    /// <param name="HasAfterStep">Whether the record declares AfterStep itself.</param>
    /// <param name="Views">How many views the loss reads.</param>
    /// <param name="UsesPredictor">Whether the loss reads predictions.</param>
    internal sealed record ObjectiveSpec(TypeSpec Type, string Attributes, EquatableArray<HyperParameterSpec> Values,
        string? StateType, bool HasAfterStep, int Views, bool UsesPredictor)
    {
        public const string NoState = "global::GraphSSL.Objectives.ObjectiveState";

        /// <summary>The state type as emitted, <see cref="NoState"/> for a stateless objective.</summary>
        public string State => StateType ?? NoState;
    }
}
