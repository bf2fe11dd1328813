/* follow.h - placeholder */
#ifndef TAPIR_FOLLOW_H
#define TAPIR_FOLLOW_H
#endif
