// The core's session events, turned into Blueprint structs and raised on the subsystem. Called
// only from FStagecraftConnection::Tick, on the game thread.
#pragma once

#include "CoreMinimal.h"
#include "Stagecraft/session.h"

class UStagecraftSubsystem;

class FStagecraftListener : public stagecraft::SessionListener
{
public:
	explicit FStagecraftListener(UStagecraftSubsystem* InOwner) : Owner(InOwner) {}

	void on_answer(const stagecraft::Answer& Answer, const stagecraft::wire::ServerMessage& Message) override;
	void on_directive(const stagecraft::wire::Directive& Directive) override;
	void on_performance_start(stagecraft::Performance& Performance) override;
	void on_performance_end(stagecraft::Performance& Performance, const stagecraft::wire::PerformanceEnd& End) override;
	void on_error(const stagecraft::wire::Error& Error) override;
	void on_bad_frame(const std::string& Why) override;

private:
	TWeakObjectPtr<UStagecraftSubsystem> Owner;
};

FString ToFString(const std::string& S);
struct FStagecraftDirective ToBlueprint(const stagecraft::wire::Directive& D);
