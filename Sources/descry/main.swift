print("descry")
