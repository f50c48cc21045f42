import PipeCore
print("todo")
