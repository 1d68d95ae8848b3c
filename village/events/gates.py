"""Who may register for an event, as decided by the app that owns it (a program's coaching
sessions are for its cohort only). An app registers a gate from its `AppConfig.ready`; a gate
raises ValidationError to refuse. Events never imports the apps that register here."""

from collections.abc import Callable

# gate(event=..., people=[Registrant, ...], by=Person | None) -> None, or raises.
RegistrationGate = Callable[..., None]

_gates: list[RegistrationGate] = []


def registration_gate_register(gate: RegistrationGate) -> None:
    if gate not in _gates:
        _gates.append(gate)


def registration_gates_check(*, event, people: list, by) -> None:
    for gate in _gates:
        gate(event=event, people=people, by=by)
