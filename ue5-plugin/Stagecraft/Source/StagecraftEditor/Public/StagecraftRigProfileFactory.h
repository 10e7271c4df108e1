// Content Browser → Stagecraft Rig Profile: a new profile filled from the generic ARKit names.
#pragma once

#include "CoreMinimal.h"
#include "Factories/Factory.h"
#include "StagecraftRigProfileFactory.generated.h"

UCLASS()
class STAGECRAFTEDITOR_API UStagecraftRigProfileFactory : public UFactory
{
	GENERATED_BODY()

public:
	UStagecraftRigProfileFactory();
	virtual UObject* FactoryCreateNew(UClass* Class, UObject* Parent, FName Name, EObjectFlags Flags, UObject* Context,
		FFeedbackContext* Warn) override;
};
