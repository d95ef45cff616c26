"""Admin: retrain in the background, see progress, activate only a model that is not worse, roll back."""

import asyncio

from fastapi import APIRouter, HTTPException

from admin.deps import Admin, AdminUser
from admin.training.job import RollbackImpossible, TrainingBusy

router = APIRouter(prefix="/api/admin", tags=["admin"])


@router.get("/training")
async def training_status(_user: AdminUser, admin: Admin) -> dict:
    return {**await admin.training.status(), "switches": await asyncio.to_thread(admin.training.switches, 10)}


@router.post("/training", status_code=202)
async def start_training(user: AdminUser, admin: Admin) -> dict:
    try:
        return await admin.training.start(user.username)
    except TrainingBusy as error:
        raise HTTPException(409, str(error)) from None


@router.post("/training/rollback")
async def rollback(user: AdminUser, admin: Admin) -> dict:
    try:
        return await admin.training.rollback(user.username)
    except TrainingBusy as error:
        raise HTTPException(409, str(error)) from None
    except RollbackImpossible as error:
        raise HTTPException(409, str(error)) from None
    except RuntimeError as error:
        raise HTTPException(502, str(error)) from None
